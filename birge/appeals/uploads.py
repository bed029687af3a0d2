"""Attachment checks: type by content, size and pixel caps, metadata stripped by re-encoding."""

import io
import warnings

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
PDF_TYPE = "application/pdf"
# Markup a browser would render if a "PDF" were served or opened as HTML.
MARKUP_SIGNS = (b"<html", b"<script", b"<!doctype", b"<body", b"<svg", b"<iframe")


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
        return _pdf_clean(upload, head)
    if mime in IMAGE_TYPES:
        return _image_clean(upload, IMAGE_TYPES[mime])
    raise ValidationError(_("Attach a photo (JPEG, PNG, WebP) or a PDF document."))


def _pdf_clean(upload: UploadedFile, head: bytes) -> UploadedFile:
    if not head.startswith(b"%PDF-") or any(sign in head.lower() for sign in MARKUP_SIGNS):
        raise ValidationError(_("This file is not a valid PDF document."))
    data = upload.read()
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This file is not a valid PDF document."))
    return SimpleUploadedFile("attachment.pdf", data, content_type=PDF_TYPE)


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
