"""Cleaning, fitting and escaping candidate text (designgrade/render/text.py, measure.py)."""

from __future__ import annotations

import re

from designgrade.render.measure import text_width
from designgrade.render.text import (
    clean, dot_lines, dot_quote, fit, html_text, mermaid_lines, mermaid_text, safe_id, shorten,
)

from .conftest import HOSTILE


def test_clean_drops_controls_bidi_overrides_and_newlines():
    assert clean("a\nb\tc\x00d\r\ne") == "a b c d e"
    assert clean("evil\u202egnp.exe") == "evil gnp.exe"               # right-to-left override
    assert clean("x\u2066y\u2069z\u200e") == "x y z"                   # isolates and marks
    assert clean("esc\x1b[31mred csi\x9b1m") == "esc [31mred csi 1m"    # ESC and the C1 CSI
    assert clean(None) == ""
    assert clean("x" * 200, 10) == "x" * 9 + "\u2026"


def test_fit_wraps_to_a_width_and_ends_cut_text_with_an_ellipsis():
    lines = fit("Java search server (query processing, ranking and more)", 140, 14, 2)
    assert len(lines) == 2 and lines[-1].endswith("\u2026")
    assert all(text_width(line, 14) <= 140 for line in lines)
    assert fit("short", 140, 14, 2) == ["short"]
    assert fit("", 140, 14, 2) == []
    long_word = fit("sentence_transformers_multilingual_large", 100, 14, 3)
    assert all(text_width(line, 14) <= 100 for line in long_word)
    assert "".join(long_word).startswith("sentence_")


def test_shorten_keeps_what_fits():
    assert shorten("kafka", 100, 13) == "kafka"
    cut = shorten("nemo_guardrails_enterprise_edition", 100, 13)
    assert cut.endswith("\u2026") and text_width(cut, 13) <= 100


def test_wide_characters_measure_wider():
    assert text_width("\u6f22\u5b57", 10) > text_width("ab", 10)


def test_dot_strings_escape_backslashes_before_quotes():
    assert dot_quote('say "hi"') == '"say \\"hi\\""'
    assert dot_quote("end\\") == '"end\\\\"'          # a trailing backslash cannot eat the closing quote
    assert dot_quote("\\N \\l") == '"\\\\N \\\\l"'     # Graphviz escapes are disarmed
    assert dot_lines(["a", "b"]) == '"a\\nb"'
    escaped = dot_lines([HOSTILE.replace("\n", " ")])[1:-1]
    for match in re.finditer(r'(\\*)"', escaped):  # every quote follows an odd run of backslashes
        assert len(match.group(1)) % 2 == 1


def test_html_text_escapes_markup():
    assert html_text('<b>"x" & \'y\'</b>') == "&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/b&gt;"


def test_mermaid_text_has_no_special_character_and_no_entity_code():
    text = HOSTILE.replace("\n", " ")
    escaped = mermaid_text(text)
    for char in '"<>&`#':
        assert char not in escaped, char
    assert not re.search(r"#\d+;|&\w+;", escaped)
    assert "\u2039script\u203a" in escaped        # drawn as look-alikes, readable
    assert mermaid_lines(["a", "b"]) == "a<br/>b"


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
