"""What the screens say while the seed file's summary of a plan item is not yet confirmed."""

from django.utils.translation import gettext as _


def unconfirmed_notice(codes) -> str:
    codes = sorted(set(codes))
    if not codes:
        return ""
    return _(
        "The wording of plan item(s) %(codes)s summarises the issued plan and awaits the town "
        "safety office's confirmation."
    ) % {"codes": "、".join(codes)}
