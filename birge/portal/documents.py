"""Official documents: PDF or DOCX only, checked by content like citizens' attachments."""

import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from birge.appeals.uploads import pdf_clean
from birge.core.files import private_name

MAX_BYTES = 20 * 1024 * 1024
# A DOCX is a zip: its unpacked size is capped too, so a small file cannot inflate.
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")


def official_document_name(instance: object, filename: str) -> str:
    return private_name("portal-documents", filename)


def official_document_clean(upload: UploadedFile) -> UploadedFile:
    """Return a safe copy of the document, or raise ValidationError saying why it is refused."""
    if upload.size is None or upload.size > MAX_BYTES:
        raise ValidationError(_("The document is larger than 20 MB."))
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        cleaned = pdf_clean(upload, head)
        cleaned.name = _with_extension(upload.name, "pdf")
        return cleaned
    if head.startswith(b"PK\x03\x04"):
        _docx_check(upload)
        upload.seek(0)
        upload.name = _with_extension(upload.name, "docx")
        return upload
    raise ValidationError(_("Upload the document as PDF or DOCX."))


def _docx_check(upload: UploadedFile) -> None:
    not_docx = ValidationError(_("This file is not a valid DOCX document."))
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if not all(part in names for part in DOCX_REQUIRED_PARTS):
                raise not_docx
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValidationError(
                    _("The document contains macros. Save it as a plain DOCX and upload it again.")
                )
            if sum(entry.file_size for entry in entries) > MAX_DOCX_UNPACKED_BYTES:
                raise not_docx
            content_types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise not_docx from None
    if b"macroEnabled" in content_types:
        raise ValidationError(
            _("The document contains macros. Save it as a plain DOCX and upload it again.")
        )


def _with_extension(filename: str | None, extension: str) -> str:
    stem = (filename or "document").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "document"
    return f"{stem[:80]}.{extension}"
