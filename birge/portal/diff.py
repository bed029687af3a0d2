"""Plain text out of rich text, and the word-level difference the public change history shows."""

import difflib
import re
from dataclasses import dataclass
from html import unescape
from typing import Literal

BLOCK_TAGS = re.compile(r"</?(p|h[1-6]|li|ul|ol|br|div|blockquote)\b[^>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]+>")
SPACES = re.compile(r"[ \t\r\f\v]+")
BLANK_LINES = re.compile(r"\n\s*\n+")
# Words and the spaces between them, so joining the pieces gives the text back.
TOKENS = re.compile(r"\s+|[^\s]+")


def html_to_text(html: str) -> str:
    """The words of rich text, one paragraph per line."""
    text = BLOCK_TAGS.sub("\n", html)
    text = unescape(ANY_TAG.sub("", text))
    text = SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    return BLANK_LINES.sub("\n\n", "\n".join(line for line in lines if line)).strip()


@dataclass(frozen=True)
class DiffPiece:
    kind: Literal["same", "removed", "added"]
    text: str


def word_diff(before: str, after: str) -> list[DiffPiece]:
    """The change from `before` to `after` as runs of kept, removed and added words."""
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    pieces: list[DiffPiece] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(DiffPiece("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(DiffPiece("removed", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(DiffPiece("added", "".join(new[j1:j2])))
    return pieces
