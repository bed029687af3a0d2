"""Public pages and the staff desk through HTTP: intake, attachments, tracking, access, FAQ."""

import io
import struct
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from birge.appeals.models import Appeal, FaqEntry
from birge.appeals.services import appeal_answer, faq_publish
from birge.core.tests.factories import sign_in_verified

from .factories import AppealFactory
from .pdfs import pdf_bytes, pdf_document

pytestmark = pytest.mark.django_db

ASK = "/en/appeals/ask/"


def form_data(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "question",
        "text": "Are the parks open during the quarantine?",
        "topic": "quarantine-rules",
        "region": "KZ-75",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        **changes,
    }


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (the pixels are not there)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_the_form_works_without_javascript_and_gives_a_private_link(client: Any) -> None:
    page = client.get(ASK)
    assert page.status_code == 200
    assert b'name="consent"' in page.content
    response = client.post(ASK, form_data())
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (
        response["Location"]
        == f"/en/appeals/track/{appeal.tracking_code}/{appeal.tracking_token}/?new=1"
    )
    track = client.get(response["Location"])
    assert track.status_code == 200
    assert appeal.tracking_code in track.content.decode()
    assert appeal.language == "en"
    # a wrong token reveals nothing
    assert client.get(f"/en/appeals/track/{appeal.tracking_code}/wrong/").status_code == 404


def test_a_formal_appeal_needs_contacts_and_consent(client: Any) -> None:
    response = client.post(ASK, form_data(kind="appeal"))
    assert response.status_code == 400
    assert b"needs an e-mail address or a phone number" in response.content
    response = client.post(ASK, form_data(kind="appeal", contact_email="a@example.kz"))
    assert response.status_code == 400
    assert b"Agree to the processing" in response.content
    response = client.post(
        ASK, form_data(kind="appeal", contact_email="a@example.kz", consent="on")
    )
    assert response.status_code == 302


def test_oversized_text_is_refused_clearly_and_the_text_is_kept(client: Any) -> None:
    response = client.post(ASK, form_data(text="x" * 10_001))
    assert response.status_code == 400
    assert b"Shorten the text to 10000 characters; it has 10001." in response.content
    assert Appeal.objects.count() == 0


def test_a_pdf_that_is_really_html_is_refused(client: Any) -> None:
    fake = SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    response = client.post(ASK, {**form_data(), "attachment": fake})
    assert response.status_code == 400
    assert b"Attach a photo (JPEG, PNG, WebP) or a PDF document." in response.content
    polyglot = SimpleUploadedFile(
        "r.pdf", b"%PDF-1.4\n<html><script>x</script>\n%%EOF", "application/pdf"
    )
    response = client.post(ASK, {**form_data(), "attachment": polyglot})
    assert response.status_code == 400
    assert Appeal.objects.count() == 0


def test_an_image_declaring_50000_by_50000_pixels_is_refused_without_decoding(client: Any) -> None:
    bomb = png_declaring(50_000, 50_000)
    assert len(bomb) < 200
    upload = SimpleUploadedFile("photo.png", bomb, "image/png")
    response = client.post(ASK, {**form_data(), "attachment": upload})
    assert response.status_code == 400
    assert b"The image is too large" in response.content
    assert Appeal.objects.count() == 0


def test_an_oversized_file_is_refused(client: Any) -> None:
    upload = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"%%EOF", "application/pdf"
    )
    response = client.post(ASK, {**form_data(), "attachment": upload})
    assert response.status_code == 400
    assert b"larger than 5 MB" in response.content


def test_a_photo_is_stored_re_encoded_without_its_metadata(client: Any) -> None:
    original = jpeg_with_exif()
    assert b"SecretCameraMaker" in original
    upload = SimpleUploadedFile("photo.jpg", original, "image/jpeg")
    assert client.post(ASK, {**form_data(), "attachment": upload}).status_code == 302
    stored = Appeal.objects.get().attachment.read()
    assert stored.startswith(b"\xff\xd8")
    assert b"SecretCameraMaker" not in stored
    assert Image.open(io.BytesIO(stored)).size == (40, 30)


def test_a_real_pdf_is_accepted(client: Any) -> None:
    pdf = pdf_bytes(pdf_document())
    upload = SimpleUploadedFile("doc.pdf", pdf, "application/pdf")
    assert client.post(ASK, {**form_data(), "attachment": upload}).status_code == 302


def test_the_ask_form_is_rate_limited(client: Any) -> None:
    for _ in range(10):
        client.post(ASK, form_data())
    assert client.post(ASK, form_data()).status_code == 429
    assert Appeal.objects.count() == 10


def test_html_in_a_question_is_shown_escaped_to_citizen_and_staff(
    client: Any, agency: Any, officer: Any
) -> None:
    appeal = AppealFactory(agency=agency, text='<script>alert("x")</script><b>bold</b>')
    track = client.get(reverse("appeals:track", args=[appeal.tracking_code, appeal.tracking_token]))
    assert b"<script>alert" not in track.content
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in track.content
    sign_in_verified(client, officer)
    for url in (f"/admin/appeals/{appeal.pk}/", "/admin/appeals/"):
        desk = client.get(url)
        assert desk.status_code == 200
        assert b"<script>alert" not in desk.content
        assert b"&lt;script&gt;alert" in desk.content


def test_an_officer_of_agency_a_gets_404_on_agency_bs_appeal(
    client: Any, other_agency: Any, officer: Any
) -> None:
    theirs = AppealFactory(agency=other_agency)
    triaged = AppealFactory(agency=None, status=Appeal.Status.TRIAGE)
    sign_in_verified(client, officer)
    assert client.get(f"/admin/appeals/{theirs.pk}/").status_code == 404
    assert client.get(f"/admin/appeals/{triaged.pk}/").status_code == 404
    assert (
        client.post(
            f"/admin/appeals/{theirs.pk}/answer/", {"kind": "full", "text": "x", "language": "en"}
        ).status_code
        == 404
    )
    assert client.get(f"/admin/appeals/{theirs.pk}/attachment/").status_code == 404
    assert theirs.tracking_code not in client.get("/admin/appeals/").content.decode()
    # Wagtail answers a PermissionDenied with a redirect to the dashboard
    assert client.get("/admin/appeals/triage/").status_code in (302, 403)


def test_the_officer_answers_from_the_desk(client: Any, agency: Any, officer: Any) -> None:
    appeal = AppealFactory(agency=agency)
    sign_in_verified(client, officer)
    response = client.post(
        f"/admin/appeals/{appeal.pk}/answer/",
        {"kind": "full", "text": "Yes.", "language": "en", "legal_ground": ""},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED


def test_the_inbox_query_count_does_not_grow_with_rows(
    client: Any, agency: Any, officer: Any, django_assert_max_num_queries: Any
) -> None:
    sign_in_verified(client, officer)
    AppealFactory.create_batch(3, agency=agency)
    client.get("/admin/appeals/")  # warm the per-process caches (menu, calendar)
    with django_assert_max_num_queries(20) as few:
        client.get("/admin/appeals/")
    AppealFactory.create_batch(20, agency=agency)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as many:
        assert client.get("/admin/appeals/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_faq_page_query_count_is_pinned(
    client: Any, agency: Any, officer: Any, django_assert_num_queries: Any
) -> None:
    for n in range(5):
        appeal = AppealFactory(agency=agency, text=f"Question {n} about masks")
        answer = appeal_answer(officer=officer, appeal=appeal, kind="full", text=f"Answer {n}")
        faq_publish(
            officer=officer,
            answer=answer,
            question=f"Masks question {n}?",
            answer_text=f"Answer {n}",
            language="en",
            topic=None,
        )
    client.get("/en/appeals/faq/")
    with django_assert_num_queries(3):  # topics for the filter, count, page with agency+topic
        response = client.get("/en/appeals/faq/?q=masks")
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 5
    assert FaqEntry.objects.count() == 5


def test_the_agency_page_shows_its_figures(client: Any, agency: Any) -> None:
    response = client.get(f"/en/appeals/agencies/{agency.slug}/")
    assert response.status_code == 200
    assert b'data-figure="received">0<' in response.content
    assert client.get("/en/appeals/agencies/no-such-body/").status_code == 404


def test_similar_answered_questions_are_offered_with_and_without_javascript(
    client: Any, agency: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    appeal = AppealFactory(agency=agency, language="en")
    answer = appeal_answer(officer=officer, appeal=appeal, kind="full", text="Yes, until 22:00.")
    with django_capture_on_commit_callbacks(execute=True):
        faq_publish(
            officer=officer,
            answer=answer,
            question="Are the parks in Almaty open?",
            answer_text="Yes, until 22:00.",
            language="en",
            topic=None,
        )
    # htmx fragment while typing
    fragment = client.get("/en/appeals/ask/similar/", {"text": "are parks open in Almaty now"})
    assert fragment.status_code == 200
    assert b"Are the parks in Almaty open?" in fragment.content
    assert b"<html" not in fragment.content
    # the no-JS button: the form posted with action=similar shows them above the kept text
    page = client.post(ASK, {"action": "similar", "text": "are parks open in Almaty now"})
    assert b"Are the parks in Almaty open?" in page.content
    assert b"are parks open in Almaty now</textarea>" in page.content


def test_the_citizen_clarifies_rates_and_reopens_on_the_tracking_page(
    client: Any, agency: Any, officer: Any
) -> None:
    from birge.appeals.services import appeal_request_clarification

    appeal = AppealFactory(agency=agency)
    base = f"/en/appeals/track/{appeal.tracking_code}/{appeal.tracking_token}/"
    appeal_request_clarification(officer=officer, appeal=appeal, question="Which district?")
    page = client.get(base)
    assert b"Which district?" in page.content
    assert client.post(base + "clarify/", {"text": "Medeu"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.IN_PROGRESS
    appeal_answer(officer=officer, appeal=appeal, kind="full", text="Open until 22:00.")
    client.post(base + "rate/", {"helpful": "no"})
    appeal.refresh_from_db()
    assert appeal.helpful is False
    # an empty reason is refused with a message, nothing changes
    client.post(base + "reopen/", {"reason": ""})
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED
    client.post(base + "reopen/", {"reason": "Which parks?"})
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.IN_PROGRESS
    assert client.post(base + "delete/", {}).status_code == 404
    wrong = f"/en/appeals/track/{appeal.tracking_code}/not-the-token/rate/"
    assert client.post(wrong, {"helpful": "yes"}).status_code == 404


def test_status_by_code_alone_shows_no_text_or_contacts(client: Any, agency: Any) -> None:
    appeal = AppealFactory(
        agency=agency, text="Secret details", contact_email="me@example.kz", consent=True
    )
    page = client.get("/en/appeals/track/", {"code": appeal.tracking_code.lower()})
    assert page.status_code == 200
    assert b'data-status="in_progress"' in page.content
    assert b"Secret details" not in page.content
    assert b"me@example.kz" not in page.content
    assert client.get("/en/appeals/track/", {"code": "NOPE"}).status_code == 404
    assert client.get("/en/appeals/track/").status_code == 200


def test_the_agency_figures_list_runs_a_fixed_number_of_queries(
    client: Any, coordinator: Any, django_assert_num_queries: Any
) -> None:
    from birge.appeals.services import appeal_route
    from birge.core.tests.factories import AgencyFactory

    agencies = AgencyFactory.create_batch(4)
    for agency in agencies:
        for _ in range(2):
            appeal_route(actor=coordinator, appeal=AppealFactory(agency=None), agency=agency)
    client.get("/en/appeals/agencies/")
    with django_assert_num_queries(4):  # agencies, received, answered, extended
        response = client.get("/en/appeals/agencies/")
    assert response.status_code == 200
    assert response.content.decode().count('<td class="num">2</td>') == 4


def test_the_appeals_address_leads_to_the_form(client: Any) -> None:
    response = client.get("/ru/appeals/")
    assert response.status_code == 302
    assert response["Location"] == "/ru/appeals/ask/"
