"""Editors, agency heads and coordinators at work in the staff admin, over HTTP."""

from typing import Any

import pytest
from django.test import Client
from wagtail.models import Locale, TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from birge.core.models import AuditEntry, StaffRole
from birge.core.tests.factories import AgencyFactory, sign_in_verified, staff_member

from ..models import AgencyPortalSettings, NewsArticlePage, NewsIndexPage, PageChange, UrgentBanner

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


def _article_form(
    agency: Any, *, title: str, body: str, action: str, **extra: Any
) -> dict[str, Any]:
    data = nested_form_data(
        {
            "title": title,
            "slug": extra.pop("slug", "quarantine-rules"),
            "summary": "Summary.",
            "body": rich_text(body),
            "agency": agency.pk,
            "source": "Ministry press service",
            "source_url": "",
            "change_note": extra.pop("change_note", ""),
            "comments": inline_formset([]),
        }
    )
    # The channels' boxes are ticked on a new page, so a browser sends them all.
    data["announce_on"] = extra.pop("announce_on", ["feed", "telegram_channel", "telegram_bot"])
    data[action] = "1"
    return data


def _section(language: str) -> NewsIndexPage:
    return NewsIndexPage.objects.get(locale=Locale.objects.get(language_code=language))


def _add_url(language: str) -> str:
    return f"/admin/pages/add/portal/newsarticlepage/{_section(language).pk}/"


def test_an_editor_publishes_in_kazakh_and_russian_and_both_are_public(client: Client) -> None:
    # given an editor of an agency whose statements need no approval
    agency: Any = AgencyFactory()
    AgencyPortalSettings.objects.create(agency=agency, approval_required=False)
    editor = staff_member(Role.EDITOR, agency=agency)
    sign_in_verified(client, editor)
    # when the editor publishes in Kazakh, then translates into Russian and publishes that
    response = client.post(
        _add_url("kk"),
        _article_form(
            agency, title="Карантин ережелері", body="<p>Үйде болыңыз.</p>", action="action-publish"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    kazakh = NewsArticlePage.objects.get(locale__language_code="kk")
    response = client.post(f"/admin/portal/translate/{kazakh.pk}/ru/")
    russian = NewsArticlePage.objects.get(locale__language_code="ru")
    assert response["Location"] == f"/admin/pages/{russian.pk}/edit/"
    response = client.post(
        f"/admin/pages/{russian.pk}/edit/",
        _article_form(
            agency,
            title="Правила карантина",
            body="<p>Оставайтесь дома.</p>",
            action="action-publish",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    # then both are live, linked as translations, in their listings, feeds and the sitemap
    client.logout()
    russian.refresh_from_db()
    assert russian.live
    assert russian.translation_key == kazakh.translation_key
    assert "Карантин ережелері" in client.get("/kk/news/").content.decode()
    assert "Правила карантина" in client.get("/ru/news/").content.decode()
    assert "Правила карантина" in client.get("/ru/portal/feed/rss/").content.decode()
    assert "Карантин ережелері" in client.get("/kk/portal/feed/atom/").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/kk/news/quarantine-rules/" in sitemap
    assert 'hreflang="ru" href="http://testserver/ru/news/quarantine-rules/"' in sitemap
    # and every publish went through the portal's record
    assert PageChange.objects.filter(kind="published").count() == 2
    assert AuditEntry.objects.filter(action="portal.page.published", actor=editor).count() == 2


def test_a_correction_in_the_admin_needs_a_reason_and_shows_in_the_history(client: Client) -> None:
    agency: Any = AgencyFactory()
    AgencyPortalSettings.objects.create(agency=agency, approval_required=False)
    editor = staff_member(Role.EDITOR, agency=agency)
    sign_in_verified(client, editor)
    client.post(
        _add_url("kk"),
        _article_form(agency, title="Ыстық желі", body="<p>1406</p>", action="action-publish"),
    )
    article = NewsArticlePage.objects.get()
    edit_url = f"/admin/pages/{article.pk}/edit/"
    # when the editor republishes without a reason, the form refuses
    response = client.post(
        edit_url,
        _article_form(
            agency, title="Ыстық желі", body="<p>1406 және 103</p>", action="action-publish"
        ),
    )
    assert response.status_code == 200
    assert "change_note" in response.context["form"].errors
    # with a reason, the correction is public with its difference
    response = client.post(
        edit_url,
        _article_form(
            agency,
            title="Ыстық желі",
            body="<p>1406 және 103</p>",
            action="action-publish",
            change_note="103 added",
        ),
    )
    assert response.status_code == 302
    html = Client().get(article.url).content.decode()
    assert "103 added" in html
    assert "<ins>" in html


def test_the_heads_approval_is_required_where_the_agency_says_so(client: Client) -> None:
    # given an agency whose head approves statements
    agency: Any = AgencyFactory()
    AgencyPortalSettings.objects.create(agency=agency, approval_required=True)
    editor = staff_member(Role.EDITOR, agency=agency)
    head = staff_member(Role.AGENCY_HEAD, agency=agency)
    other_head = staff_member(Role.AGENCY_HEAD, agency=AgencyFactory())
    sign_in_verified(client, editor)
    # when the editor tries to publish, the form says the head approves
    response = client.post(
        _add_url("kk"),
        _article_form(agency, title="Шаралар", body="<p>Мәтін.</p>", action="action-publish"),
    )
    assert response.status_code == 200
    assert not NewsArticlePage.objects.exists()
    # the editor submits it for approval instead: not public yet
    response = client.post(
        _add_url("kk"),
        _article_form(agency, title="Шаралар", body="<p>Мәтін.</p>", action="action-submit"),
    )
    assert response.status_code == 302
    article = NewsArticlePage.objects.get()
    assert not article.live
    task_state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    approve_url = f"/admin/pages/workflow/action/{article.pk}/approve/{task_state.pk}/"
    # another agency's head cannot approve it
    other = Client()
    sign_in_verified(other, other_head)
    other.post(approve_url, {})
    article.refresh_from_db()
    assert not article.live
    # its own head approves, and it is published
    approver = Client()
    sign_in_verified(approver, head)
    approver.post(approve_url, {})
    article.refresh_from_db()
    assert article.live
    assert AuditEntry.objects.filter(action="portal.page.published", actor=head).exists()


def test_an_editor_whose_head_approves_is_offered_no_publish_button(client: Client) -> None:
    # given a draft of an agency whose head approves statements
    agency: Any = AgencyFactory()
    AgencyPortalSettings.objects.create(agency=agency, approval_required=True)
    editor = staff_member(Role.EDITOR, agency=agency)
    head = staff_member(Role.AGENCY_HEAD, agency=agency)
    sign_in_verified(client, editor)
    client.post(
        _add_url("kk"),
        _article_form(agency, title="Жоба", body="<p>Мәтін.</p>", action="action-draft"),
    )
    edit_url = f"/admin/pages/{NewsArticlePage.objects.get().pk}/edit/"
    # then its editor sees "Submit" and no "Publish"; its head sees "Publish"
    editor_screen = client.get(edit_url).content.decode()
    assert 'name="action-submit"' in editor_screen
    assert 'name="action-publish"' not in editor_screen
    head_client = Client()
    sign_in_verified(head_client, head)
    assert 'name="action-publish"' in head_client.get(edit_url).content.decode()


def test_a_coordinator_publishes_an_urgent_notice_in_one_step(client: Client) -> None:
    agency = AgencyFactory()
    coordinator = staff_member(Role.COORDINATOR)
    sign_in_verified(client, coordinator)
    response = client.post(
        "/admin/portal/urgent/",
        {
            "language": "kk",
            "agency": agency.pk,
            "title": "Шұғыл хабарлама",
            "summary": "Қысқаша.",
            "body": "Бірінші абзац.\n\nЕкінші абзац.",
            "source": "Мемлекеттік комиссия",
            "banner_kk": "Бүгін сағат 20:00-ден бастап карантин",
            "banner_ru": "",
            "banner_en": "",
        },
    )
    assert response.status_code == 302
    article = NewsArticlePage.objects.get()
    assert article.live
    assert article.urgent
    html = Client().get("/kk/").content.decode()
    assert "Бүгін сағат 20:00-ден бастап карантин" in html
    assert article.url in html
    # lowering the banner takes it off the home page
    client.post("/admin/portal/banner/lower/")
    assert not UrgentBanner.objects.filter(is_raised=True).exists()
    assert "Бүгін сағат 20:00-ден бастап" not in Client().get("/kk/").content.decode()


def test_an_editor_cannot_raise_the_banner_nor_edit_another_agencys_statement(
    client: Client,
) -> None:
    agency = AgencyFactory()
    editor = staff_member(Role.EDITOR, agency=agency)
    sign_in_verified(client, editor)
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    refused = client.get("/admin/portal/urgent/")
    assert refused.status_code == 302
    assert refused["Location"] == "/admin/"
    assert client.post("/admin/portal/banner/lower/").status_code == 302
    from .factories import statement_published

    foreign = statement_published(title="Foreign", agency=AgencyFactory())
    response = client.get(f"/admin/pages/{foreign.pk}/edit/")
    assert response.status_code in (302, 403)
    client.post(f"/admin/portal/translate/{foreign.pk}/ru/")
    assert not NewsArticlePage.objects.filter(locale__language_code="ru").exists()
