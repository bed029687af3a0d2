"""Private files: citizens' attachments and audit exports, never under a public URL.

They live in the `private` storage (`BIRGE_PRIVATE_ROOT`, outside the media root nginx serves)
under random names, and reach a browser only through a view that has checked access first:
behind nginx by `X-Accel-Redirect` to an `internal` location, otherwise streamed by Django.
"""

import mimetypes
import posixpath
import secrets
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage with no public URL: `url()` refuses, so no template can leak one."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; serve them through a checked view.")


def private_storage() -> Storage:
    """The storage for personal and confidential files (a callable, so settings can swap it)."""
    return storages["private"]


def private_name(folder: str, filename: str) -> str:
    """A random name in `folder` keeping only the extension: nothing guessable, nothing personal."""
    extension = posixpath.splitext(filename)[1].lower()[:8]
    return f"{folder}/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}{extension}"


def private_file_response(file: FieldFile, *, download_name: str) -> HttpResponseBase:
    """The file as a download the browser will neither render nor run.

    With `BIRGE_PRIVATE_ACCEL_PREFIX` set (behind nginx), Django only answers with the internal
    path and nginx streams the bytes; otherwise Django streams them itself.
    """
    content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    accel_prefix: str = settings.BIRGE_PRIVATE_ACCEL_PREFIX
    response: HttpResponseBase
    if accel_prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{accel_prefix.rstrip('/')}/{file.name}"
        response["Content-Disposition"] = f'attachment; filename="{download_name}"'
    else:
        response = FileResponse(
            file.open("rb"), as_attachment=True, filename=download_name, content_type=content_type
        )
    _harden(response)
    return response


def _harden(response: HttpResponseBase) -> None:
    # A sandboxed document runs no script and reaches no origin, even when opened inline.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"


def public_files_move_to_private(rows: Any, field: str, folder: str) -> None:
    """Move files stored before private storage existed out of the public media root.

    Used by the migrations that made attachments and exports private; a file already gone from
    the media root leaves its row with an empty field, so no download link points at nothing.
    """
    public = storages["default"]
    for row in rows.exclude(**{field: ""}).iterator():
        old_name = getattr(row, field).name
        if public.exists(old_name):
            with public.open(old_name, "rb") as source:
                new_name = private_storage().save(private_name(folder, old_name), source)
            public.delete(old_name)
        else:
            new_name = ""
        type(row).objects.filter(pk=row.pk).update(**{field: new_name})
