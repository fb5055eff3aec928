"""Document numbers of the town office: one sequence per kind of document and year."""

from django.db import IntegrityError, transaction
from django.db.models import F

from plan.followup.models import DocumentNumber

# kind: the prefix of its numbers (徐泾安委办通报〔2026〕3号).
PREFIXES = {
    "bulletin": "徐泾安委办通报",
    "follow_up": "徐泾安委办督",
}


def document_number_text(kind: str, year: int, sequence: int) -> str:
    return f"{PREFIXES[kind]}〔{year}〕{sequence}号"


@transaction.atomic
def document_number_take(*, kind: str, year: int) -> int:
    """The next number of `kind` in `year`.

    The increment is one UPDATE of the counter row, which holds the row's lock until the caller's
    transaction ends: two requests at once get two different numbers, and a transaction rolled
    back gives its number back. The row is created on first use; two first uses at once meet at
    the unique constraint, and the loser increments the winner's row.
    """
    counters = DocumentNumber.objects.filter(kind=kind, year=year)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DocumentNumber.objects.create(kind=kind, year=year, last=1)
            return 1
        except IntegrityError:
            counters.update(last=F("last") + 1)
    return counters.values_list("last", flat=True).get()
