"""What each post requires, edited by the town office in the back office (持证上岗)."""

from certificates.models import PostRequirement
from directory.forms import RegistryForm
from directory.views.admin import RegistryViewSet


class PostRequirementForm(RegistryForm):
    class Meta:
        model = PostRequirement
        fields = ["post", "operation", "certificate_type", "source"]


class PostRequirementViewSet(RegistryViewSet):
    """A post's required operations or certificate types; the gap list and the 持证上岗 metric
    read them."""

    model = PostRequirement
    form_class = PostRequirementForm
    icon = "tag"
    name = "post_requirements"
    url_prefix = "certificates/post-requirements"
    list_display = ["post", "operation", "certificate_type", "source"]
    list_select_related = ("post", "operation", "certificate_type")
    search_fields = ["post__name", "operation__name", "certificate_type__name"]
