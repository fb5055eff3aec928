"""The bound on one entry of study hours, shared by the ledger and by what credits it (a session's
hours, an exam's hours)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# No single entry credits more than the longest training any rule requires: 72 学时, the pre-job
# training of new employees in high-risk industries (《生产经营单位安全培训规定》第十三条,
# regulations.md §2). Checked by `clean()` (every service, the import and the back office) and by
# the database; a longer course is booked as several entries.
ENTRY_MAX_HOURS = Decimal("72")


def hours_over_limit_message() -> str:
    return _(
        "At most %(max)s study hours per entry: the longest training the rules require "
        "(pre-job training in high-risk industries). Book a longer course as several entries."
    ) % {"max": ENTRY_MAX_HOURS}
