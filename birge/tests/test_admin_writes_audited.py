"""Every write made through a staff screen leaves an audit entry.

The walk visits every URL pattern under /admin/, as a staff member holding every role, and
submits each POST form the page offers (with the values the page fills in, and with valid
values for the forms that create things). A POST that changes any table but the logs and
derived indexes, and adds no `AuditEntry`, fails the test. A new staff screen is walked as
soon as its URL exists; only the patterns in `NOT_WALKED` are left out, each with its reason.
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Site, Task, Workflow

from birge.api.models import ApiClient, key_hash, key_new
from birge.appeals.models import Answer, Appeal
from birge.appeals.tests.factories import AppealFactory
from birge.channels.models import Channel, Delivery, Publication
from birge.claims.models import Evidence, ReportCluster, RumourReport
from birge.claims.tests.factories import ClaimFactory
from birge.core.models import Agency, AuditEntry, AuditExport, EmergencyContact, StaffRole
from birge.core.services import staff_role_grant
from birge.core.tests.factories import AgencyFactory, UserFactory, sign_in_verified, staff_member
from birge.workdays.models import WorkdayException

Role = StaffRole.Role

# Tables whose rows are logs of the request itself or indexes derived from other tables.
UNAUDITED_TABLES = {
    "core.auditentry",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "wagtailcore.modellogentry",
    "wagtailcore.pagelogentry",
    "wagtailcore.referenceindex",
    "wagtailadmin.editingsession",
    "wagtailsearch.indexentry",
    "django_tasks_db.dbtaskresult",
    "otp_totp.totpdevice",  # the device's drift and throttle counters move on every check
    "otp_static.staticdevice",
}

# Patterns the walk leaves out, and why.
NOT_WALKED = {
    "admin/login/": "signs in: writes only the session",
    "admin/logout/": "signs out: writes only the session",
    "admin/password_reset/": "Wagtail's password reset by e-mail is not offered to staff",
    "admin/failwhale/": "Wagtail's deliberate error page",
    "admin/api/main/": "Wagtail's read-only admin API",
    "admin/editing-sessions/": "Wagtail's concurrent-editing pings (derived, unaudited table)",
    "admin/dismissibles/": "remembers which tips a user closed (per-user interface state)",
    # Wagtail's link choosers compute a link for the editor and write nothing; an empty POST
    # raises inside Wagtail 8.0.1 itself, as does the redirects import without its file.
    "admin/choose-": "Wagtail's link choosers write nothing",
    "admin/redirects/import/": "Wagtail's redirect import needs an uploaded file (Wagtail's own)",
}


@dataclass(frozen=True)
class AdminRoute:
    route: str
    name: str
    keywords: tuple[str, ...]


def _admin_routes() -> list[AdminRoute]:
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[AdminRoute]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                keywords = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
                yield AdminRoute(route=route, name=namespace + pattern.name, keywords=keywords)

    routes = [
        route
        for route in walk(get_resolver().url_patterns, "", "")
        if route.route.startswith("admin/")
        and not any(route.route.startswith(prefix) for prefix in NOT_WALKED)
        and "^" not in route.route  # regex catch-alls and Wagtail's admin API
    ]
    return sorted({route.name: route for route in routes}.values(), key=lambda r: r.route)


ROUTES = _admin_routes()


class _Forms(HTMLParser):
    """The POST forms of a page with the values a browser would send unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.kinds: list[dict[str, str]] = []
        self._current: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form" and attributes.get("method", "get").lower() == "post":
            self._current = {}
            self.forms.append((attributes.get("action", ""), self._current))
            self.kinds.append({})
        if self._current is None or "name" not in attributes:
            return
        name = attributes["name"]
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            if kind not in {"submit", "file", "button", "image"}:
                self._current[name] = attributes.get("value", "on" if kind == "checkbox" else "")
                fill = attributes.get("data-fill")
                self.kinds[-1][name] = f"select:{fill}" if fill is not None else kind
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            self._current[name] = ""
            self.kinds[-1][name] = "textarea"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._current is not None and self._textarea is not None:
            self._current[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


SAMPLE_VALUES = {
    "date": "2030-06-15",
    "number": "3",
    "email": "walk@example.kz",
    "tel": "+77011234567",
    "url": "https://example.kz/",
    "password": "a long walk password 2030",
}


def _filled(data: dict[str, str], kinds: dict[str, str]) -> dict[str, str]:
    """The form as a person completing it would send it: every empty field given a value."""
    filled = dict(data)
    for name, kind in kinds.items():
        # Hidden fields are the page's own (ids, tokens): a person never types into them.
        if kind in {"hidden", "checkbox", "radio"} or filled.get(name, "").strip():
            continue
        if kind.startswith("select:"):
            filled[name] = kind.removeprefix("select:")
        else:
            filled[name] = SAMPLE_VALUES.get(kind, f"Walk text for {name}")
    return filled


def _forms_of(html: str) -> list[tuple[str, dict[str, str]]]:
    """Each POST form twice: as the page fills it in, and with its empty fields completed."""
    parser = _Forms()
    # Options are read separately: the first option (or the selected one) is what is sent.
    for match in re.finditer(r"<select[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>", html, re.S):
        options = re.findall(r"<option([^>]*)value=\"([^\"]*)\"", match.group(2))
        chosen = next((v for a, v in options if "selected" in a), options[0][1] if options else "")
        fill = next((v for _, v in options if v), "")
        html = html.replace(
            match.group(0),
            f'<input type="hidden" name="{match.group(1)}" value="{chosen}" data-fill="{fill}">',
            1,
        )
    parser.feed(html)
    forms = []
    for (action, data), kinds in zip(parser.forms, parser.kinds, strict=True):
        forms.append((action, data))
        if _filled(data, kinds) != data:
            forms.append((action, _filled(data, kinds)))
    return forms


def _tables_fingerprint() -> dict[str, str]:
    fingerprint = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in UNAUDITED_TABLES or not model._meta.managed or model._meta.proxy:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        fingerprint[label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return fingerprint


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in after if before.get(label) != after[label])


@dataclass
class World:
    """One of everything a staff screen acts on, and a member holding every role."""

    staff: Any
    agency: Agency
    objects: dict[str, Any]


def _world() -> World:
    agency: Any = AgencyFactory()
    staff: Any = UserFactory(username="walker")
    for role in StaffRole.GLOBAL_ROLES:
        staff_role_grant(actor=None, user=staff, role=role, agency=None)
    for role in set(Role) - StaffRole.GLOBAL_ROLES:
        staff_role_grant(actor=None, user=staff, role=role, agency=agency)
    colleague = staff_member(Role.AGENCY_OFFICER, agency)
    appeal: Any = AppealFactory(agency=agency)
    pending: Any = AppealFactory(agency=agency, status=Appeal.Status.PENDING_APPROVAL)
    Answer.objects.create(
        appeal=pending,
        kind="full",
        text="The answer.",
        language="en",
        author=colleague,
        agency=agency,
    )
    claim: Any = ClaimFactory()
    report = RumourReport.objects.create(
        reference="R-WALK",
        text="Garlic cures it",
        language="en",
        normalized="garlic cures it",
        fingerprint="walk",
    )
    cluster = ReportCluster.objects.create(label=report.text)
    report.cluster = cluster
    report.save()
    home = Site.objects.get(is_default_site=True).root_page
    collection = Collection.get_first_root_node().add_child(name="Infographics")
    publication = Publication.objects.create(
        kind=Publication.Kind.NEWS,
        source_kind="walk",
        source_key="1",
        texts={"en": {"title": "Walk"}},
        channels=[Channel.TELEGRAM_CHANNEL],
    )
    failed_delivery = Delivery.objects.create(
        publication=publication,
        channel=Channel.TELEGRAM_CHANNEL,
        target="@birge_walk",
        language="en",
        state=Delivery.State.FAILED,
        next_attempt_at=timezone.now(),
    )
    objects = {
        "appeal_id": appeal,
        "member_id": colleague,
        "role_id": colleague.staff_roles.first(),
        "export_id": AuditExport.objects.create(requested_by=staff),
        "claim_id": claim,
        "cluster_id": cluster,
        "evidence_id": Evidence.objects.create(claim=claim, title="WHO", url="https://who.int"),
        "wagtailadmin_collections:pk": collection,
        "collection_id": collection,
        "emergency_contacts:pk": EmergencyContact.objects.create(
            number="109", name_kk="109", name_ru="109", name_en="109"
        ),
        "workday_calendar:pk": WorkdayException.objects.order_by("date").last(),
        "pending_appeal": pending,
        "client_id": _api_client(),
        "wagtailusers_users:pk": colleague,
        "wagtailusers_groups:pk": Group.objects.order_by("pk").first(),
        "wagtailsites:pk": Site.objects.order_by("pk").first(),
        "wagtailadmin_workflows:pk": Workflow.objects.order_by("pk").first(),
        "task_id": Task.objects.order_by("pk").first(),
        "wagtailredirects:redirect_id": Redirect.objects.create(
            old_path="/old-page", redirect_link="https://example.kz/"
        ),
        "image_id": Image.objects.create(title="Masks", file=get_test_image_file()),
        "document_id": Document.objects.create(
            title="Order 1", file=ContentFile(b"%PDF-1.4 order", name="order.pdf")
        ),
        "page_id": home,
        "parent_page_id": home,
        "page_to_move_id": home,
        "publication_id": publication,
        "delivery_id": failed_delivery,
    }
    return World(staff=staff, agency=agency, objects=objects)


def _api_client() -> ApiClient:
    prefix, key = key_new()
    return ApiClient.objects.create(
        name="Contact centre 109",
        channel=ApiClient.Channel.CALL_CENTRE,
        scopes=["appeals.submit"],
        key_prefix=prefix,
        key_hash=key_hash(key),
    )


def _url(route: AdminRoute, world: World) -> str | None:
    url = "/" + route.route
    for keyword in route.keywords:
        namespaced = f"{route.name.split(':')[0]}:{keyword}"
        target = world.objects.get(namespaced, world.objects.get(keyword))
        if keyword == "doc_id":
            target = world.objects["document_id"]
        if keyword == "language":
            value = "kk"
        elif keyword == "action":
            return None  # the desk's actions are walked one by one below
        elif target is None:
            return None
        else:
            value = str(target.pk)
        url = re.sub(rf"<(?:\w+:)?{keyword}>", value, url)
    return url


def _post_all_forms(client: Client, url: str) -> list[tuple[str, dict[str, str]]]:
    page = client.get(url)
    forms = _forms_of(page.content.decode()) if page.status_code == 200 else []
    posts = [(action or url, data) for action, data in forms if not action or action == url]
    return posts or [(url, {})]


def _assert_audited(client: Client, url: str, data: dict[str, str]) -> bool:
    """POST once; fail if a table changed without an audit entry. True when it wrote."""
    entries = AuditEntry.objects.count()
    before = _tables_fingerprint()
    response = client.post(url, data)
    changed = _changed(before, _tables_fingerprint())
    assert response.status_code < 500, f"POST {url} answered {response.status_code}"
    if changed:
        assert AuditEntry.objects.count() > entries, (
            f"POST {url} changed {changed} and wrote no audit entry"
        )
    return bool(changed)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_every_admin_post_is_audited(client: Client, route: AdminRoute) -> None:
    world = _world()
    sign_in_verified(client, world.staff)
    url = _url(route, world)
    if url is None:
        pytest.skip(f"{route.route}: needs an object the walk does not make")
    for target, data in _post_all_forms(client, url):
        _assert_audited(client, target, data)


@pytest.mark.django_db
def test_every_desk_action_is_audited(client: Client) -> None:
    from birge.appeals.admin_views.desk import ACTIONS

    world = _world()
    sign_in_verified(client, world.staff)
    wrote = 0
    for action in ACTIONS:
        for appeal in (world.objects["appeal_id"], world.objects["pending_appeal"]):
            detail = f"/admin/appeals/{appeal.pk}/"
            target = f"/admin/appeals/{appeal.pk}/{action}/"
            for form_action, data in _forms_of(client.get(detail).content.decode()):
                if form_action == target:
                    wrote += _assert_audited(client, target, data)
    # The walk is only worth something if the desk's forms really wrote.
    assert wrote >= 2


def test_the_walk_sees_every_screen_of_the_platform() -> None:
    names = {route.name for route in ROUTES}
    for expected in (
        "core_staff_create",
        "appeals_admin_detail",
        "claims_claim_new",
        "emergency_contacts:add",
        "workday_calendar:add",
    ):
        assert expected in names
