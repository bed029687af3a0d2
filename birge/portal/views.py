"""The portal's own views beside the pages Wagtail serves: documents' files, the sitemap,
robots.txt and the offline worker."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from birge.core.files import private_file_response

from .models import OfficialDocumentPage
from .selectors import sitemap_entries


@require_GET
def document_download(request: HttpRequest, page_id: int) -> HttpResponseBase:
    """The file of a published document, as an attachment; a draft's file is not served."""
    page = get_object_or_404(OfficialDocumentPage.objects.live(), pk=page_id)
    stem = slugify(page.number or page.title, allow_unicode=True)[:80] or "document"
    return private_file_response(page.file, download_name=f"{stem}.{page.file_extension.lower()}")


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every live page and public service in each language, with its hreflang alternates."""
    return render(
        request,
        "portal/sitemap.xml",
        {"entries": sitemap_entries(request=request)},
        content_type="application/xml; charset=utf-8",
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /language/",
        # Tracking links carry a private token; they must never be indexed.
        *[f"Disallow: /{code}/appeals/track/" for code, _name in settings.LANGUAGES],
        "Allow: /",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The offline worker, at the root so that its scope is the whole site."""
    stylesheet = static("birge/birge.css")
    response = render(
        request,
        "portal/service_worker.js",
        {"version": stylesheet, "precache": [stylesheet, static("birge/favicon.svg")]},
        content_type="text/javascript; charset=utf-8",
    )
    # Browsers re-check the worker on navigation; it must never be served stale.
    response["Cache-Control"] = "no-cache"
    return response
