"""Values every public page's shell needs: languages with their URLs, emergency numbers."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.translation import get_language

from .selectors import emergency_contacts


def shell(request: HttpRequest) -> dict[str, Any]:
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    languages = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        # `url` for the hreflang alternates; the switcher goes through the view that
        # remembers the choice, so that no other page has to set a cookie.
        choose_url = f"{reverse('language_choose', args=[code])}?{urlencode({'next': url})}"
        languages.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "choose_url": choose_url,
                "current": code == current,
            }
        )
    contacts = [
        {"number": contact["number"], "name": contact.get(f"name_{current}") or contact["name_kk"]}
        for contact in emergency_contacts()
    ]
    return {
        "site_name": settings.BIRGE_SITE_NAME,
        "shell_languages": languages,
        "emergency_contacts": contacts,
    }
