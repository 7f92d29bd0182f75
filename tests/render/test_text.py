"""Escaping and ids (designgrade/render/text.py)."""

from __future__ import annotations

import re

from designgrade.render.text import clean, dot_lines, dot_text, mermaid_text, safe_id, wrap

from .conftest import HOSTILE


def test_clean_drops_control_characters_and_newlines():
    assert clean("a\nb\tc\x00d\r\ne") == "a b c d e"
    assert clean(None) == ""
    assert clean("x" * 200, 10) == "x" * 9 + "\u2026"


def test_wrap_breaks_long_text_and_long_words():
    assert wrap("latest member and title features", 18) == ["latest member and", "title features"]
    assert all(len(line) <= 10 for line in wrap("a" * 35, 10))
    assert wrap("", 10) == []


def test_dot_text_escapes_backslashes_before_quotes():
    assert dot_text('say "hi"') == 'say \\"hi\\"'
    assert dot_text("end\\") == "end\\\\"          # a trailing backslash cannot eat the closing quote
    assert dot_text("\\N \\l") == "\\\\N \\\\l"     # Graphviz escapes are disarmed
    assert dot_lines(["a", "b"]) == "a\\nb"


def test_dot_text_leaves_no_unescaped_quote():
    escaped = dot_lines(wrap(HOSTILE, 18))
    # Every quote is preceded by an odd number of backslashes.
    for match in re.finditer(r'(\\*)"', escaped):
        assert len(match.group(1)) % 2 == 1


def test_mermaid_text_leaves_no_special_character():
    escaped = mermaid_text(HOSTILE.replace("\n", " "))
    bare = re.sub(r"#\d+;", "", escaped)  # what is left outside the entities
    for char in '"<>&`{}[]|;#':
        assert char not in bare, char
    assert "#60;script#62;" in escaped
    # '#' is itself encoded, so a literal entity in the input stays literal text.
    assert "#35;quot#59;" in escaped


def test_mermaid_entities_decode_back_to_the_text():
    text = HOSTILE.replace("\n", " ")
    decoded = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), mermaid_text(text))
    assert decoded == text


def test_safe_id_is_stable_unique_and_mermaid_safe():
    taken: set[str] = set()
    assert safe_id("feature-jobs", taken) == "feature_jobs"
    assert safe_id("feature_jobs", taken) == "feature_jobs_2"
    assert safe_id("end", taken) == "end_"
    assert safe_id("Graph", taken) == "graph_"
    assert safe_id("9lives", taken) == "n_9lives"
    assert safe_id('a"b<c>{d}', taken) == "a_b_c_d"
    assert safe_id("", taken) == "component"
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", t) for t in taken)
