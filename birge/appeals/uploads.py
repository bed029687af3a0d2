"""Attachment checks: type by content, size, pixel and page caps.

Images are re-encoded (metadata stays behind); PDFs are rewritten without what a viewer would
run, submit, open or unpack on its own.
"""

import io
import warnings
from collections.abc import Iterator
from typing import Any

import filetype
import pikepdf
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy as ngettext
from pikepdf import Array, Dictionary, Name
from pikepdf.sanitize import Sanitizer
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
MAX_PDF_PAGES = 500
# The rewrite walks every object in Python (about 0.15 ms each): this keeps it to seconds.
MAX_PDF_OBJECTS = 20_000
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
PDF_TYPE = "application/pdf"
# Markup a browser would render if a "PDF" were served or opened as HTML.
MARKUP_SIGNS = (b"<html", b"<script", b"<!doctype", b"<body", b"<svg", b"<iframe")
# pikepdf's curated removals. It keeps on purpose what some documents need (other actions, XFA,
# file attachment annotations); a citizen's document needs none of them, so _pdf_defuse goes on.
PDF_SANITIZER = (
    Sanitizer()
    .remove_javascript()
    .remove_external_access()
    .remove_attachments()
    .remove_multimedia()
)
# Keys that only ever hold scripts, event actions or embedded file bodies, wherever they appear.
PDF_ACTIVE_KEYS = (Name.AA, Name.JS, Name.EF)


def attachment_clean(upload: UploadedFile) -> UploadedFile:
    """Return a safe copy of the upload, or raise ValidationError saying why it is refused."""
    if upload.size is None or upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime == PDF_TYPE:
        return pdf_clean(upload, head)
    if mime in IMAGE_TYPES:
        return _image_clean(upload, IMAGE_TYPES[mime])
    raise ValidationError(_("Attach a photo (JPEG, PNG, WebP) or a PDF document."))


def pdf_clean(upload: UploadedFile, head: bytes) -> UploadedFile:
    """A rewritten copy of a PDF without what a viewer would run; ValidationError if not one."""
    not_pdf = ValidationError(_("This file is not a valid PDF document."))
    if not head.startswith(b"%PDF-") or any(sign in head.lower() for sign in MARKUP_SIGNS):
        raise not_pdf
    data = upload.read()
    # qpdf would rebuild a cut-off file from what is left; a document that lost its end is refused.
    if b"%%EOF" not in data[-2048:]:
        raise not_pdf
    buffer = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise ValidationError(
                    ngettext(
                        "The PDF is too long: at most %(limit)d page.",
                        "The PDF is too long: at most %(limit)d pages.",
                        MAX_PDF_PAGES,
                    )
                    % {"limit": MAX_PDF_PAGES}
                )
            if len(pdf.objects) > MAX_PDF_OBJECTS:
                raise ValidationError(
                    _("This PDF is too complex to check. Print it to a new PDF and attach that.")
                )
            _pdf_defuse(pdf)
            # Streams are copied as they are: decoding them would let a small file inflate.
            # Encryption without a user password only restricts editing; the copy is saved plain.
            pdf.save(
                buffer,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                fix_metadata_version=False,
            )
    except pikepdf.PasswordError:
        raise ValidationError(
            _("This PDF is protected by a password. Save it without one and attach it again.")
        ) from None
    # A damaged document fails inside qpdf, or as an object of the wrong type in the walk.
    except (pikepdf.PdfError, RuntimeError, ValueError, TypeError):
        raise not_pdf from None
    return SimpleUploadedFile("attachment.pdf", buffer.getvalue(), content_type=PDF_TYPE)


def _pdf_defuse(pdf: pikepdf.Pdf) -> None:
    """Keep pages, text, images and jumps inside the document; drop every other action."""
    PDF_SANITIZER.apply(pdf)
    for obj in pdf.objects:
        if isinstance(obj, Dictionary | pikepdf.Stream):
            _pdf_drop(obj, *PDF_ACTIVE_KEYS)
    root = pdf.Root
    _pdf_drop(root, Name.OpenAction)
    acroform = root.get(Name.AcroForm)
    if isinstance(acroform, Dictionary):
        _pdf_drop(acroform, Name.XFA)
        for field in _pdf_nodes(acroform.get(Name.Fields), Name.Kids):
            _pdf_action_keep_local(field)
    outlines = root.get(Name.Outlines)
    if isinstance(outlines, Dictionary):
        for item in _pdf_nodes(outlines.get(Name.First), Name.First, Name.Next):
            _pdf_action_keep_local(item)
    for page in pdf.pages:
        annots = page.obj.get(Name.Annots)
        if not isinstance(annots, Array):
            continue
        kept = [
            annot
            for annot in annots
            if isinstance(annot, Dictionary) and annot.get(Name.Subtype) != Name.FileAttachment
        ]
        for annot in kept:
            _pdf_action_keep_local(annot)
        page.obj[Name.Annots] = Array(kept)


def _pdf_action_keep_local(holder: Dictionary) -> None:
    # Deny by default: a link may jump to a page of this document, nothing else, and not chain.
    _pdf_drop(holder, Name.PA)
    action = holder.get(Name.A)
    if isinstance(action, Dictionary) and action.get(Name.S) == Name.GoTo:
        _pdf_drop(action, Name.Next)
    else:
        _pdf_drop(holder, Name.A)


def _pdf_drop(obj: Any, *keys: Name) -> None:
    for key in keys:
        if key in obj:
            del obj[key]


def _pdf_nodes(start: Any, *links: Name) -> Iterator[Dictionary]:
    """Each dictionary reachable from `start` through `links` once (a hostile file may loop)."""
    seen: set[tuple[int, int]] = set()
    stack = list(start) if isinstance(start, Array) else [start]
    while stack:
        node = stack.pop()
        if not isinstance(node, Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        yield node
        for link in links:
            linked = node.get(link)
            stack.extend(linked if isinstance(linked, Array) else [linked])


def _image_clean(upload: UploadedFile, image_format: str) -> UploadedFile:
    too_big = ValidationError(_("The image is too large: at most 40 megapixels."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # open() reads the header only; the size is checked before any pixel is decoded.
            image: Image.Image = Image.open(upload)
            width, height = image.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise too_big
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("This image cannot be read.")) from None
    image = ImageOps.exif_transpose(image)
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # A fresh image carries pixels only: EXIF (location, device), XMP and comments stay behind.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if image.mode == "P":
        clean.putpalette(image.getpalette() or [])
    buffer = io.BytesIO()
    clean.save(buffer, format=image_format)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    return SimpleUploadedFile(
        f"attachment.{extension}", buffer.getvalue(), content_type=f"image/{extension}"
    )
