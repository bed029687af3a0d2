"""PDF attachments are rewritten: nothing a viewer would run, submit, launch or unpack survives."""

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pikepdf import Name

from birge.appeals.uploads import MAX_PDF_OBJECTS, MAX_PDF_PAGES, attachment_clean

from .pdfs import (
    pdf_bytes,
    pdf_document,
    pdf_with_embedded_file,
    pdf_with_launch_link,
    pdf_with_open_action_script,
    pdf_with_page_actions,
)


def cleaned(data: bytes) -> bytes:
    return attachment_clean(SimpleUploadedFile("letter.pdf", data, "application/pdf")).read()


def refusal(data: bytes) -> str:
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            cleaned(data)
        return " ".join(error.value.messages)


def test_a_script_run_on_opening_is_removed() -> None:
    # given
    original = pdf_with_open_action_script()
    assert b"/OpenAction" in original
    assert b"/JavaScript" in original
    # when
    data = cleaned(original)
    # then
    assert b"/JavaScript" not in data
    assert b"launchURL" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert Name.OpenAction not in pdf.Root
        assert Name.JavaScript not in pdf.Root.get(Name.Names, {})
        assert len(pdf.pages) == 1


def test_embedded_files_and_file_attachment_annotations_are_removed() -> None:
    original = pdf_with_embedded_file()
    with pikepdf.open(io.BytesIO(original)) as pdf:
        assert len(pdf.attachments) == 1
    data = cleaned(original)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.attachments) == 0
        assert list(pdf.pages[0].obj.get(Name.Annots, [])) == []
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                assert obj.get(Name.Type) != Name.EmbeddedFile
                assert Name.EF not in obj
    assert b"/EmbeddedFile" not in data


def test_launch_and_reset_links_go_and_a_link_to_another_page_stays_without_its_script() -> None:
    data = cleaned(pdf_with_launch_link())
    assert b"/Launch" not in data
    assert b"/JavaScript" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        launch, to_page_two, reset = pdf.pages[0].Annots
        assert Name.A not in launch
        assert Name.A not in reset
        assert Name.GoTo == to_page_two.A.S
        assert to_page_two.A.D[0].objgen == pdf.pages[1].obj.objgen
        assert Name.Next not in to_page_two.A


def test_actions_run_when_a_page_opens_are_removed() -> None:
    data = cleaned(pdf_with_page_actions())
    assert b"/JavaScript" not in data
    assert b"/SubmitForm" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert Name.AA not in pdf.pages[0].obj


def test_an_ordinary_pdf_keeps_its_pages_and_text() -> None:
    data = cleaned(pdf_bytes(pdf_document(pages=3)))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 3
        for number, page in enumerate(pdf.pages, start=1):
            assert f"(Page {number} of the citizen's letter) Tj".encode() in (
                page.Contents.read_bytes()
            )
            assert page.Resources.Font.F1.BaseFont == Name.Helvetica


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(pdf_bytes(pdf_document(pages=2))[:900], id="cut-off"),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", id="garbage"),
        pytest.param(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", id="no-pages"),
    ],
)
def test_a_truncated_or_garbage_pdf_is_refused(data: bytes) -> None:
    assert refusal(data) == "This file is not a valid PDF document."


def test_a_password_protected_pdf_is_refused_with_a_clear_message() -> None:
    buffer = io.BytesIO()
    pdf_document().save(buffer, encryption=pikepdf.Encryption(owner="owner", user="secret"))
    assert refusal(buffer.getvalue()) == (
        "This PDF is protected by a password. Save it without one and attach it again."
    )


def test_a_pdf_restricted_only_against_editing_is_kept_readable_without_encryption() -> None:
    buffer = io.BytesIO()
    pdf_document().save(buffer, encryption=pikepdf.Encryption(owner="owner", user=""))
    with pikepdf.open(io.BytesIO(cleaned(buffer.getvalue()))) as pdf:
        assert not pdf.is_encrypted
        assert b"citizen's letter" in pdf.pages[0].Contents.read_bytes()


def test_a_pdf_over_the_page_cap_is_refused() -> None:
    data = pdf_bytes(pdf_document(pages=MAX_PDF_PAGES + 1))
    assert refusal(data) == f"The PDF is too long: at most {MAX_PDF_PAGES} pages."


def test_a_pdf_with_more_objects_than_the_rewrite_walks_in_seconds_is_refused() -> None:
    pdf = pdf_document()
    pdf.Root.Filler = pikepdf.Array(
        [pdf.make_indirect(pikepdf.Dictionary(N=n)) for n in range(MAX_PDF_OBJECTS)]
    )
    assert refusal(pdf_bytes(pdf)) == (
        "This PDF is too complex to check. Print it to a new PDF and attach that."
    )
