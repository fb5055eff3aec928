"""A choice filter with thousands of options (every enterprise of the district) as a text box
that searches as you type, instead of a select the browser must build and the viewer scroll.

Without a script it is a text input: the name (or credit code) typed in full picks the one option
so named. `static/directory/choice_search.js` adds the suggestions from a scoped JSON endpoint
(directory.views.choices) and submits the chosen option's id. Wagtail's chooser modal was the
alternative: it opens a window per filter and leaves nothing to type into where the filter is.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SearchChoiceInput(forms.TextInput):
    """A text input showing the chosen option's name; the script reads its data attributes."""

    def __init__(self, url_name: str, attrs=None):
        self.url_name = url_name
        super().__init__(attrs)

    class Media:
        js = ["directory/choice_search.js"]
        css = {"all": ["directory/choice_search.css"]}

    def _chosen(self, value) -> tuple[str, str]:
        """(text shown, id) of the current value: an id is looked up within the field's
        (scoped) options, anything else is shown as typed."""
        if value in (None, ""):
            return "", ""
        if hasattr(value, "pk"):
            return str(value), str(value.pk)
        text = str(value)
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        if text.isdigit() and queryset is not None:
            chosen = queryset.filter(pk=int(text)).first()
            if chosen is not None:
                return str(chosen), text
        return text, ""

    def get_context(self, name, value, attrs):
        text, pk = self._chosen(value)
        context = super().get_context(name, text, attrs)
        context["widget"]["attrs"].update(
            {
                "data-choice-search": reverse(self.url_name),
                "data-choice-value": pk,
                "data-choice-none": _("Nothing found"),
                "data-choice-found": _("%(count)s found; use the arrow keys to choose"),
                "autocomplete": "off",
                "placeholder": _("Type a name to search"),
            }
        )
        return context


class SearchChoiceField(forms.ModelChoiceField):
    """One option of the (scoped) queryset, given its id (the script) or its name or credit code
    typed in full (no script); a unique partial name is taken too."""

    def __init__(self, *args, url_name: str, exact_fields=("name", "credit_code"), **kwargs):
        self.exact_fields = exact_fields
        kwargs.setdefault("widget", SearchChoiceInput(url_name))
        super().__init__(*args, **kwargs)

    def bound_data(self, data, initial):
        # What was typed, once it names one option, is shown as that option (and its id kept).
        try:
            return self.to_python(data) or data
        except ValidationError:
            return data

    def prepare_value(self, value):
        return value if hasattr(value, "pk") else super().prepare_value(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text.isdigit():
            found = self.queryset.filter(pk=int(text)).first()
            if found is not None:
                return found
        exact = Q()
        for field in self.exact_fields:
            exact |= Q(**{field: text})
        for condition in (exact, Q(name__icontains=text)):
            matches = list(self.queryset.filter(condition)[:2])
            if len(matches) == 1:
                return matches[0]
            if matches:
                break
        raise ValidationError(
            _("No single one matches “%(text)s”: type more of the name, or choose from the list."),
            code="invalid_choice",
            params={"text": text},
        )


class SearchChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's model choice, searched as you type (`url_name`: the JSON endpoint)."""

    field_class = SearchChoiceField

    def __init__(self, *args, url_name: str, **kwargs):
        kwargs["url_name"] = url_name
        super().__init__(*args, **kwargs)


def enterprise_search_filter(label, queryset, **kwargs) -> SearchChoiceFilter:
    """The enterprise filter of a list: the viewer's enterprises, searched by name."""
    return SearchChoiceFilter(
        label=label, queryset=queryset, url_name="directory_choices:enterprises", **kwargs
    )
