"""Citizens' attachments through HTTP: private storage under random names, the checked download."""

import io
import re
from typing import Any

import pikepdf
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from birge.appeals.models import Appeal
from birge.appeals.notify import tracking_path
from birge.core.tests.factories import sign_in_verified

from .pdfs import pdf_with_launch_link, pdf_with_open_action_script

pytestmark = pytest.mark.django_db

ASK = "/en/appeals/ask/"


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "blue").save(buffer, format="JPEG")
    return SimpleUploadedFile("attachment.jpg", buffer.getvalue(), "image/jpeg")


def ask_with(upload: SimpleUploadedFile, agency: Any) -> Appeal:
    """The citizen asks through the public form; the appeal then sits with `agency`."""
    form = {
        "kind": "question",
        "text": "Is the clinic on Abay street open during the quarantine?",
        "topic": "quarantine-rules",
        "region": "KZ-75",
        "attachment": upload,
    }
    assert Client().post(ASK, form).status_code == 302
    appeal = Appeal.objects.latest("pk")
    Appeal.objects.filter(pk=appeal.pk).update(
        agency=agency, status=Appeal.Status.IN_PROGRESS, assigned_at=timezone.now()
    )
    appeal.refresh_from_db()
    return appeal


def download_url(appeal: Appeal) -> str:
    return f"/admin/appeals/{appeal.pk}/attachment/"


def stored_name(appeal: Appeal) -> str:
    name = appeal.attachment.name
    assert name
    return name


def stored_bytes(appeal: Appeal) -> bytes:
    with storages["private"].open(stored_name(appeal), "rb") as file:
        data: bytes = file.read()
    return data


def test_an_attachment_is_stored_privately_under_a_random_name(agency: Any) -> None:
    # when
    appeal = ask_with(photo(), agency)
    # then
    name = stored_name(appeal)
    assert storages["private"].exists(name)
    assert not storages["default"].exists(name)
    assert name.startswith("appeals/")
    assert name.endswith(".jpg")
    assert "attachment" not in name
    assert not re.search(r"/20\d\d/\d\d/", name)
    assert stored_bytes(appeal).startswith(b"\xff\xd8")
    # two uploads of the same photo never share a name
    assert stored_name(ask_with(photo(), agency)) != name


def test_the_media_url_of_an_attachment_answers_404(agency: Any) -> None:
    appeal = ask_with(photo(), agency)
    response = Client().get(f"/media/{stored_name(appeal)}")
    assert response.status_code == 404
    assert stored_bytes(appeal) not in response.content


def test_without_a_session_the_download_serves_nothing(agency: Any) -> None:
    appeal = ask_with(photo(), agency)
    response = Client().get(download_url(appeal))
    # The admin sends an anonymous visitor to its sign-in page.
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not response.streaming
    assert stored_bytes(appeal) not in response.content


def test_the_agency_officer_downloads_it_sandboxed_and_another_agency_gets_404(
    client: Any, agency: Any, officer: Any, officer_b: Any
) -> None:
    appeal = ask_with(photo(), agency)
    # when: the officer of the appeal's agency
    sign_in_verified(client, officer)
    response = client.get(download_url(appeal))
    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes(appeal)
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'attachment; filename="appeal-{appeal.tracking_code}.jpg"'
    )
    # when: an officer of another agency
    other = Client()
    sign_in_verified(other, officer_b)
    response = other.get(download_url(appeal))
    # then
    assert response.status_code == 404
    assert not response.streaming


def test_behind_nginx_django_answers_with_the_internal_path_only(
    client: Any, agency: Any, officer: Any, settings: Any
) -> None:
    settings.BIRGE_PRIVATE_ACCEL_PREFIX = "/_private"
    appeal = ask_with(photo(), agency)
    sign_in_verified(client, officer)
    response = client.get(download_url(appeal))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{stored_name(appeal)}"
    assert response.content == b""
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_desk_links_to_the_checked_download_not_to_the_file(
    client: Any, agency: Any, officer: Any
) -> None:
    appeal = ask_with(photo(), agency)
    sign_in_verified(client, officer)
    page = client.get(f"/admin/appeals/{appeal.pk}/").content.decode()
    assert f'href="{download_url(appeal)}"' in page
    assert stored_name(appeal) not in page
    assert "/media/appeals/" not in page


def test_the_tracking_page_shows_no_link_to_the_attachment(agency: Any) -> None:
    appeal = ask_with(photo(), agency)
    page = Client().get(tracking_path(appeal))
    assert page.status_code == 200
    assert stored_name(appeal) not in page.content.decode()
    assert download_url(appeal) not in page.content.decode()


@pytest.mark.parametrize("hostile", [pdf_with_open_action_script, pdf_with_launch_link])
def test_a_pdf_sent_through_the_form_is_stored_cleaned(
    client: Any, agency: Any, officer: Any, hostile: Any
) -> None:
    # given
    original = hostile()
    # when
    appeal = ask_with(SimpleUploadedFile("letter.pdf", original, "application/pdf"), agency)
    # then
    assert stored_name(appeal).endswith(".pdf")
    stored = stored_bytes(appeal)
    assert stored != original
    for sign in (b"/JavaScript", b"/OpenAction", b"/Launch"):
        assert sign not in stored
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert len(pdf.pages) == len(pikepdf.open(io.BytesIO(original)).pages)
    # and the officer downloads the cleaned copy, sandboxed
    sign_in_verified(client, officer)
    response = client.get(download_url(appeal))
    assert b"".join(response.streaming_content) == stored
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
