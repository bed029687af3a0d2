"""The normalised form of FAQ text that the public search and the portal's site search query."""

from birge.matching.normalize import normalize_text


def search_key(text: str) -> str:
    """Case-folded, look-alike-folded text with collapsed whitespace (kk/ru/en alike)."""
    return normalize_text(text)
