"""Content's own back-office screens (pages are Wagtail's page explorer), and the admin's help
menu without Wagtail's links to its English-only editor guide and release notes, and a label
for the text box Wagtail's tag field builds in the browser."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from content.views.calendar_admin import PublicityDateViewSet

# Wagtail's help-menu items that lead to guide.wagtail.org (English only, an outside site).
WAGTAIL_GUIDE_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("register_admin_viewset")
def register_publicity_calendar_viewset():
    return PublicityDateViewSet()


@hooks.register("construct_help_menu")
def hide_wagtail_guide_links(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_GUIDE_ITEMS)]


@hooks.register("insert_global_admin_js")
def admin_field_labels_js():
    return format_html('<script src="{}" defer></script>', static("content/js/admin_labels.js"))


@hooks.register("register_admin_urls")
def register_drafts_url():
    from django.urls import path

    from content.views.drafts import drafts

    return [path("content/drafts/", drafts, name="content_drafts")]
