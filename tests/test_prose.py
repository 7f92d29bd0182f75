"""The design's words as evidence: what counts, and what a negation or a product name does not."""

from __future__ import annotations

import json

from designgrade.analysis import analyze
from designgrade.engine import Options, lint_text

BASE = """
designgrade: 1
title: T
problem: {task: fraud_detection}
components:
  app: {kind: client, label: %(label)s}
  api: {kind: online_serving, notes: %(notes)s}
flows: ["app -> api"]
notes: %(design)s
"""


def prose(label: str = "App", notes: str = "Scores", design: str = "Nothing to add."):
    quoted = {k: json.dumps(v) for k, v in {"label": label, "notes": notes, "design": design}.items()}
    report = lint_text(BASE % quoted, Options(level="L7"))
    assert report.design is not None, [f.message for f in report.findings]
    return analyze(report.design).prose


def test_a_sentence_that_shows_a_concept_is_found_with_where_it_is_written():
    found = prose(notes="A random 1% of would-be blocks is let through. Latency is 20 ms.").find("exploration")
    assert [(s.text, s.owner, s.path) for s in found] == [
        ("A random 1% of would-be blocks is let through.", "api", ("components", "api", "notes"))]


def test_negated_or_deferred_sentences_do_not_count():
    for text in ("No holdout yet.", "We should add a holdout later.", "There is not any exploration.",
                 "TODO: randomize the top slot."):
        assert prose(notes=text).find("exploration") == [], text


def test_a_product_name_is_not_the_concept():
    assert prose(label="Instagram Explore grid").find("exploration") == []


def test_terms_phrased_with_a_negation_still_count():
    assert prose(notes="Enterprise agreement, no retention of prompts.").find("vendor_terms")


def test_owners_and_a_second_concept_narrow_the_search():
    p = prose(label="Holdout accounts", notes="A holdout of 1% lets training see uncensored outcomes.",
              design="A holdout measures lift.")
    assert [s.owner for s in p.find("holdout")] == ["app", "api", None]
    assert [s.owner for s in p.find("holdout", also="labels")] == ["api"]
    assert [s.owner for s in p.find("holdout", owners=["app"])] == ["app"]
    assert p.find("exploration") == []  # a holdout measures; it does not explore
