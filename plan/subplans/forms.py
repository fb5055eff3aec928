from django import forms
from django.utils.translation import gettext_lazy as _

from plan.subplans.models import SubPlanRound


class RoundForm(forms.ModelForm):
    class Meta:
        model = SubPlanRound
        fields = ["title", "deadline"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Sub-plan document"), help_text=_("A PDF or Word (DOCX) file of at most 20 MB.")
    )
