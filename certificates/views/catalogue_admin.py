"""The special-operation catalogue in the back office (certificates/catalogue.py): the town office
corrects a category or an operation here; everyone in the registry reads it. A row in use (an
operation with certificates, a category with operations) cannot be deleted: the foreign keys are
PROTECT and the delete view says so (directory.views.admin.ScopedDeleteView)."""

from django.utils.translation import gettext_lazy as _

from certificates.models import OperationCategory, SpecialOperation
from directory.forms import RegistryForm
from directory.views.admin import RegistryViewSet


class OperationCategoryForm(RegistryForm):
    class Meta:
        model = OperationCategory
        fields = ["code", "name", "sort_order"]


class SpecialOperationForm(RegistryForm):
    class Meta:
        model = SpecialOperation
        fields = ["category", "code", "name", "source", "sort_order"]


class OperationCategoryViewSet(RegistryViewSet):
    model = OperationCategory
    form_class = OperationCategoryForm
    icon = "folder-open-inverse"
    name = "operation_categories"
    url_prefix = "certificates/categories"
    menu_label = _("Operation categories")
    list_display = ["code", "name", "sort_order"]
    search_fields = ["name", "code"]


class SpecialOperationViewSet(RegistryViewSet):
    model = SpecialOperation
    form_class = SpecialOperationForm
    icon = "list-ol"
    name = "special_operations"
    url_prefix = "certificates/operations"
    menu_label = _("Special operations")
    list_display = ["code", "name", "category", "source"]
    list_select_related = ("category",)
    list_filter = ["category"]
    search_fields = ["name", "code"]
