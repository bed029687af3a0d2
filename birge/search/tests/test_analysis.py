"""Documents and queries meet on the same terms; snippets mark what matched."""

import re

import pytest

from birge.search.analysis import Piece, document_terms, highlight, query_analyse, snippet

TERM = re.compile(r"[a-z0-9]+")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Маскалар міндетті", "kk"),
        ("Maskalar mındettı", "kk"),
        ("Маски обязательны", "ru"),
        ("Masks are mandatory", "en"),
    ],
)
def test_word_forms_scripts_and_languages_share_the_stem(text: str, language: str) -> None:
    assert "mask" in document_terms(text, language).split()
    assert ("mask", "xmask") in query_analyse(text).units


@pytest.mark.parametrize(
    "text", ['"', "AND (", "*", "a:*|!b", "NEAR(x y)", "'; DROP TABLE x; --", "маска\x00", "^"]
)
def test_analysed_terms_carry_no_syntax(text: str) -> None:
    query = query_analyse(text)
    assert all(TERM.fullmatch(term) for unit in query.units for term in unit)
    assert all(TERM.fullmatch(term) for term in document_terms(text, "en").split())


def test_the_last_word_is_a_prefix_unless_too_short_or_a_number() -> None:
    assert query_analyse("маска карант").prefix_term == "karant"
    assert query_analyse("маска 2020").prefix is False
    assert query_analyse("ол").units == ()


def test_a_query_has_at_most_twelve_words() -> None:
    text = " ".join(f"сөз{n}й" for n in range(30))
    assert len(query_analyse(text).units) == 12


def test_highlight_marks_every_form_of_the_query_words() -> None:
    pieces = highlight("Маска мен маскалар, masks.", language="kk", query=query_analyse("маска"))
    assert [piece.text for piece in pieces if piece.marked] == ["Маска", "маскалар", "masks"]
    assert "".join(piece.text for piece in pieces) == "Маска мен маскалар, masks."


def test_a_snippet_starts_shortly_before_the_first_match() -> None:
    words = [f"w{n}" for n in range(100)]
    words[50] = "маскалар"
    pieces = snippet(" ".join(words), language="kk", query=query_analyse("маска"))
    assert pieces[0] == Piece("… ")
    assert pieces[-1] == Piece(" …")
    text = "".join(piece.text for piece in pieces)
    assert text.startswith("… w42 ")
    assert Piece("маскалар", marked=True) in pieces
    assert len(text.split()) <= 34


def test_a_short_text_is_its_own_snippet_and_no_match_gives_none() -> None:
    query = query_analyse("маска")
    assert "".join(p.text for p in snippet("Маска керек.", language="kk", query=query)) == (
        "Маска керек."
    )
    assert snippet("Қолды жуыңыз.", language="kk", query=query) == []
