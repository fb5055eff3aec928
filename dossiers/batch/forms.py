"""The batch request: the format, and everyone or the people ticked."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossiers.models import DossierBatch


class PersonIdsField(forms.Field):
    """The ticked people as ids: the service checks each against the enterprise and the
    requester's scope and names those that are not (a form choice would only say "invalid")."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        if not value:
            return []
        try:
            return sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise ValidationError(_("The selection is not valid.")) from None


class DossierBatchForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=DossierBatch.Format.choices,
        widget=forms.RadioSelect,
        initial=DossierBatch.Format.PDF,
    )
    enterprise_year = forms.TypedChoiceField(
        label=_("Also the enterprise's own file (一企一档) of the year"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    everyone = forms.BooleanField(label=_("All the enterprise's people"), required=False)
    people = PersonIdsField(label=_("People"), required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise_year"].choices = [("", _("No"))] + [(y, str(y)) for y in years]

    def person_ids(self) -> list[int] | None:
        """None for everyone, else the ticked ids."""
        return None if self.cleaned_data["everyone"] else self.cleaned_data["people"]
