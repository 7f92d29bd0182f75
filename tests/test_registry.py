"""The rule catalog's contract: unique codes, spec slugs, docs in ruff's headings."""

from __future__ import annotations

import re

import pytest
import yaml

from designgrade.findings import LEVELS, PILLARS
from designgrade.registry import CODE, DOC_HEADINGS, SLUG, all_rules, find_rule

from .conftest import shared_path

RULES = all_rules()


def test_codes_and_slugs_are_unique_and_well_formed():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.slug for r in RULES}) == len(RULES)
    for r in RULES:
        assert CODE.match(r.code) and SLUG.match(r.slug), r
        assert r.pillar in PILLARS and r.level in LEVELS and r.severity in ("error", "warning", "info")


def test_every_slug_of_the_spec_keeps_its_name():
    """Slugs are public interface: every slug of the first catalog is still a rule's slug."""
    spec = shared_path("spec", "rules.md").read_text()
    slugs = set(re.findall(r"^\| ([a-z][a-z0-9-]+) \|", spec, flags=re.M)) - {"slug"}
    assert slugs <= {r.slug for r in RULES}


def test_aliases_are_unique_and_never_shadow_a_slug():
    aliases = [a for r in RULES for a in r.aliases]
    assert len(aliases) == len(set(aliases))
    assert not set(aliases) & {r.slug for r in RULES}
    for r in RULES:
        for alias in r.aliases:
            assert SLUG.match(alias) and find_rule(alias) is r


def test_docs_say_when_a_rule_applies_what_satisfies_it_and_why_an_error_blocks():
    for r in RULES:
        sections = r.sections()
        assert "pplies" in sections["What it does"] and "atisf" in sections["What it does"], r.slug
        if r.severity == "error":
            assert "error" in sections["Why is this bad?"] or "blocker" in sections["Why is this bad?"], r.slug
        assert r.level in ("L4", "L5", "L6"), r.slug
    assert {r.slug for r in RULES if r.severity == "info"} == {"unknown-tech", "unused-tradeoff"}


@pytest.mark.parametrize("rule", RULES, ids=[r.slug for r in RULES])
def test_docs_have_ruffs_headings_in_order_and_yaml_examples(rule):
    sections = rule.sections()
    assert list(sections) == list(DOC_HEADINGS), rule.slug
    for heading in DOC_HEADINGS:
        assert sections[heading].strip(), (rule.slug, heading)
    for heading in ("Example", "Use instead"):
        if rule.slug == "invalid-yaml" and heading == "Example":
            continue  # its failing example is broken YAML on purpose
        for block in re.findall(r"```yaml\n(.*?)```", sections[heading], flags=re.S):
            yaml.safe_load(block)
    assert "- " in sections["References"]


def test_find_rule_by_slug_alias_or_code():
    assert find_rule("dg005").slug == "orphan-component"
    assert find_rule("orphan-component").code == "DG005"
    assert find_rule("model-not-trained").slug == "no-training-path"
    assert find_rule("nothing") is None


def test_explain_and_rules_commands(dg):
    result = dg("explain", "DG005")
    assert result.exit_code == 0
    for heading in DOC_HEADINGS:
        assert heading in result.stdout
    listing = dg("rules").stdout
    assert all(r.slug in listing for r in RULES)
    missing = dg("explain", "orphan-componet")
    assert missing.exit_code == 2 and "did you mean 'orphan-component'" in missing.stderr
