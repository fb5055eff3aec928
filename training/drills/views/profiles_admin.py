"""Drill settings in the back office: whether an enterprise keeps an on-site disposal plan."""

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic

from directory.views.admin import RegistryViewSet, ScopedEditView
from training.drills.models.profile import DrillProfile
from training.drills.services.follow_up import drill_profile_set
from training.drills.views.records_admin import DrillForm


class DrillProfileForm(DrillForm):
    class Meta:
        model = DrillProfile
        fields = ["enterprise", "keeps_on_site_plan"]


class DrillProfileEditForm(WagtailAdminModelForm):
    # The enterprise of a profile never changes.
    class Meta:
        model = DrillProfile
        fields = ["keeps_on_site_plan"]


class DrillProfileCreateView(generic.CreateView):
    def save_instance(self):
        return drill_profile_set(user=self.request.user, **self.form.cleaned_fields())


class DrillProfileEditView(ScopedEditView):
    def save_instance(self):
        profile = self.form.instance
        return drill_profile_set(
            user=self.request.user,
            enterprise=profile.enterprise,
            keeps_on_site_plan=self.form.cleaned_data["keeps_on_site_plan"],
        )


class DrillProfileViewSet(RegistryViewSet):
    model = DrillProfile
    form_class = DrillProfileForm
    add_view_class = DrillProfileCreateView
    edit_view_class = DrillProfileEditView
    icon = "cog"
    name = "drill_profiles"
    url_prefix = "drills/settings"
    list_display = ["enterprise", "keeps_on_site_plan", "updated_at"]
    list_select_related = ("enterprise",)
    list_filter = ["keeps_on_site_plan"]
    search_fields = ["enterprise__name"]

    def get_form_class(self, for_update=False):
        return DrillProfileEditForm if for_update else DrillProfileForm
