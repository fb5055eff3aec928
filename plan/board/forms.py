"""The board's filters: year, plan part, unit and status, offered from what the viewer sees."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plan.board.selectors import BOARD_STATUSES, UNIT_KINDS, BoardFilters
from plan.tasklist.models import TaskStatus

EVERY = [("", _("All"))]


class BoardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    part = forms.ChoiceField(label=_("Part of the plan"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, data, *, years: list[int], parts: list[str], units: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["year"].choices = EVERY + [(str(year), str(year)) for year in years]
        self.fields["part"].choices = EVERY + [(part, part) for part in parts]
        self.fields["unit"].choices = EVERY + units
        self.fields["status"].choices = EVERY + [
            (str(status), TaskStatus(status).label) for status in BOARD_STATUSES
        ]

    def filters(self) -> BoardFilters:
        """The chosen filters; a value not offered (a unit not the viewer's) is dropped."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        unit = None
        if data["unit"]:
            kind, pk = data["unit"].split("-", 1)
            if kind in UNIT_KINDS and pk.isdigit():
                unit = (kind, int(pk))
        return BoardFilters(
            year=data["year"],
            part=data["part"] or None,
            unit=unit,
            status=data["status"] or None,
        )
