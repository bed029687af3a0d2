"""The search page: `/<language>/search/?q=...&kind=...&lang=...&page=...`."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from .forms import SearchForm
from .selectors import search_results


def _page_number(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Works without JavaScript; answers 400 with the form and its message to bad input."""
    page_language = (get_language() or settings.LANGUAGE_CODE)[:2]
    form = SearchForm(request.GET)
    context: dict[str, object] = {"form": form, "page_language": page_language, "text": ""}
    if not form.is_valid():
        return render(request, "search/results.html", context, status=400)
    text = form.cleaned_data["q"]
    context["text"] = text
    if text:
        kind = form.cleaned_data["kind"]
        context["results"] = search_results(
            text=text,
            page_language=page_language,
            language=form.cleaned_data["lang"] or None,
            kinds=[kind] if kind else [],
            page=_page_number(request.GET.get("page")),
        )
    return render(request, "search/results.html", context)
