"""Region names as real data spells them: normalisation and resolution to current units."""

import re
import unicodedata

from .models import Region, RegionAlias

# "City" words carry no identity ("г. Алматы" is "Алматы"); "region" words do: "Алматы облысы"
# is not the city of Almaty, so they stay in the key.
CITY_WORDS = re.compile(r"(?<!\w)(г|город|қаласы|city|city of)(?!\w)\.?", re.IGNORECASE)


def region_name_normalize(name: str) -> str:
    """A spelling-insensitive key: case, dashes and dots folded, "city" words removed."""
    text = unicodedata.normalize("NFC", name).casefold().replace("ё", "е")
    text = re.sub(r"[\-‐–—_/]", " ", text)
    text = CITY_WORDS.sub(" ", text)
    text = re.sub(r"(?<!\w)обл(?!\w)\.?", "область", text)
    text = re.sub(r"[^\w ]", " ", text)
    return " ".join(text.split())


def region_resolve(name: str) -> Region | None:
    """The current region a name (current, former, any language, ISO code) refers to."""
    key = region_name_normalize(name)
    if not key:
        return None
    alias = RegionAlias.objects.select_related("region").filter(normalized=key).first()
    if alias is not None:
        return alias.region
    return Region.objects.filter(code__iexact=name.strip()).first()
