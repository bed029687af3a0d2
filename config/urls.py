from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from birge.api.api import api
from birge.bot import views as bot_views
from birge.core import views as core_views
from birge.portal import views as portal_views

# Rendered with the request, so the page has the site's shell in the visitor's language.
handler400 = core_views.bad_request

urlpatterns = [
    # The language switcher's links: the only answer that sets the language cookie (ADR 0015).
    path("language/<str:code>/", core_views.language_choose, name="language_choose"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sitemap.xml", portal_views.sitemap, name="sitemap"),
    path("robots.txt", portal_views.robots_txt, name="robots_txt"),
    path("sw.js", portal_views.service_worker, name="service_worker"),
    path("api/v1/", api.urls),
    path("telegram/webhook/", bot_views.webhook, name="bot_webhook"),
    # Staff sign-in asks for the second factor; it takes the place of Wagtail's own login.
    path("admin/login/", core_views.staff_login, name="staff_login"),
    # Ends the session on the server (Wagtail's own view left it alive after a GET).
    path("admin/logout/", core_views.staff_logout, name="staff_logout"),
    # Wagtail's multiple-upload screens delete a just-uploaded image or document without a log
    # entry, so without an audit entry; those are deleted from their edit screens instead.
    re_path(r"^admin/(images|documents)/multiple/\d+/delete(_upload)?/$", core_views.not_found),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

urlpatterns += i18n_patterns(
    # The portal's home page in the language of the URL (Wagtail serves every portal page).
    path("", wagtail_views.serve, {"path": ""}, name="home"),
    path("agencies/", core_views.agency_directory, name="agency_directory"),
    path("regions/", core_views.region_directory, name="region_directory"),
    path("appeals/", include("birge.appeals.urls")),
    path("claims/", include("birge.claims.urls")),
    path("stats/", include("birge.stats.urls")),
    path("portal/", include("birge.portal.urls")),
    path("search/", include("birge.search.urls")),
    path("subscribe/", include("birge.channels.urls")),
    path("aid/", include("birge.aid.urls")),
    path("press/", include("birge.media.urls")),
    # Last: every other path is a portal page. Wagtail's own catch-all would also match
    # "kk/admin/…", and then LocaleMiddleware would answer every unknown /admin/ or /api/ URL
    # with a redirect into the portal instead of a 404.
    re_path(
        r"^(?!admin/|api/|language/|media/|static/|telegram/)((?:[\w\-]+/)*)$",
        wagtail_views.serve,
        name="wagtail_serve",
    ),
    prefix_default_language=True,
)

if settings.BIRGE_SERVE_MEDIA:
    from django.views.static import serve

    # Without nginx (./dev start) Django serves the public media root (Wagtail's images and
    # documents) itself; private files are never under it (birge/core/files.py).
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
