"""Values every public page's shell needs: languages with their URLs, emergency numbers."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from .selectors import emergency_contacts


def shell(request: HttpRequest) -> dict[str, Any]:
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    languages = [
        {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
    contacts = [
        {"number": contact["number"], "name": contact.get(f"name_{current}") or contact["name_kk"]}
        for contact in emergency_contacts()
    ]
    return {
        "site_name": settings.BIRGE_SITE_NAME,
        "shell_languages": languages,
        "emergency_contacts": contacts,
    }
