"""The forums' search page: a form, and one page of results from `forums.search`."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from forums import access, search


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    # No max_length on the field: an overlong query is kept in the box with a message.
    q = forms.CharField(label=_("Words to look for"), required=False, strip=True, widget=SearchInput)
    space = forms.TypedChoiceField(label=_("Where"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].choices = [("", _("All your forums"))] + [(space.pk, space.title) for space in spaces]

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if len(query) > search.QUERY_MAX_LENGTH:
            raise ValidationError(search.QUERY_TOO_LONG, params={"max": search.QUERY_MAX_LENGTH, "count": len(query)})
        if query and not search.query_words(query):
            raise ValidationError(search.NO_WORDS)
        return query


@login_required
@require_GET
def forum_search(request):
    """Empty: the form alone. A query: one page of the hits the person may see."""
    spaces = list(access.spaces_visible_to(request.user).order_by("kind", "title"))
    form = SearchForm(request.GET or None, spaces=spaces)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = search.search_posts(
            user=request.user,
            query=form.cleaned_data["q"],
            page=request.GET.get("page"),
            space_id=form.cleaned_data["space"],
            spaces=spaces,
        )
    status = 400 if form.errors else 200
    return render(request, "forums/search.html", {"form": form, "results": results}, status=status)
