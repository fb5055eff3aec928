"""What the back-office forms with an audience share: the list of people typed as ID numbers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.identifiers import normalize_code
from directory.selectors import people_editable_by


class AudiencePeopleMixin:
    """For a form with an `id_numbers` field and `for_user`: the people named, each within the
    user's responsibility (else a Chinese message naming the missing numbers), kept in
    `self.people`."""

    def clean_id_numbers(self):
        codes = [normalize_code(line) for line in self.cleaned_data["id_numbers"].splitlines()]
        codes = [code for code in codes if code]
        people = list(people_editable_by(self.for_user).filter(id_number__in=codes))
        missing = sorted(set(codes) - {p.id_number for p in people})
        if missing:
            raise forms.ValidationError(
                _("Not found in your responsibility: %(codes)s") % {"codes": "、".join(missing)}
            )
        self.people = people
        return codes
