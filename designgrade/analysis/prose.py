"""What the design says in words: component labels and notes, flow labels, the design's notes.

An interviewer reads the words on a diagram as well as its boxes. A candidate who writes
"a random 1% of would-be blocks is let through, with the probability logged" beside a
component has shown exploration as surely as one who fills in a field. Words are weaker
evidence than fields, so they are used to *satisfy* a rule (to stop a finding the design
already answers), and a sentence that negates or defers ("no holdout yet", "TODO: retrain
weekly") does not count. Words never raise a finding by themselves, with one narrow
exception: the label of a flow says what that flow carries ("full prompt with customer
data"), which is how most designs show what a prompt holds; the rule about personal data
sent to a vendor reads flow labels (never notes) beside the `data_classes` field.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple, Optional

if TYPE_CHECKING:
    from ..graph import DesignGraph

# A sentence that says a thing is absent or planned does not show it.
_DENIED = re.compile(r"\b(no|not|never|without|lacks?|missing|todo|tbd|later|someday|future|planned|"
                     r"should|could|would|might|maybe|eventually|v2)\b|n't\b")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")

# Each concept: the words that show it. ``negatable=False`` concepts are phrased with the
# negation inside them ("no retention"), so the denial filter does not apply.
CONCEPTS: dict[str, tuple[str, bool]] = {
    # Showing what the model is unsure of, or letting outcomes through that it would hide.
    "exploration": (r"\b(exploration|explor(es|ing)\b|explore[- ](slice|share|traffic|bucket|budget|rate|arm|"
                    r"policy|exploit)|randomi[sz]\w*|random(ly)? (slice|sample\w*|fraction|share|subset|traffic|"
                    r"release|arm)|random \d+(\.\d+)? ?%|(let|lets|allowed) through|counterfactual\w*|propensit\w*|epsilon|thompson|\bucb\b|"
                    r"uniform (slice|traffic|arm)|off[- ]policy|inverse propensity|\bipw\b|\bips\b)", True),
    # A group kept from the model's decisions (measures lift; with labels, corrects them).
    "holdout": (r"\b(hold[- ]?outs?|held[- ]out|control (group|arm|cohort)|untreated)\b", True),
    # Words that tie a correction to what the model learns from.
    "labels": (r"\b(label\w*|outcomes?|train\w*|censor\w*|unbiased|without bias|would[- ]be[- ]block\w*|"
               r"let through|chargebacks?|ground truth)", True),
    # Corrections for the position a result was shown in.
    "position": (r"\b(position(al)? (feature|bias|debias\w*|aware\w*)|debias\w*|inverse propensity|\bipw\b|"
                 r"propensity[- ]weight\w*|randomi[sz]\w* (slots?|positions?|top|order\w*)|click models?|"
                 r"interleav\w*|shuffl\w*)", True),
    # A plan for the rare class.
    "imbalance": (r"\b(down-?sampl\w*|under-?sampl\w*|over-?sampl\w*|negative sampl\w*|hard[- ]negatives?|"
                  r"class[- ]weight\w*|weighted loss|focal loss|\bsmote\b|class[- ]balanced|rebalanc\w*)", True),
    # Data kept on purpose for later: an archive, not a loose end.
    "archive": (r"\b(archiv\w*|backups?|audit\w*|by version|versioned|snapshots?|history|histories|raw|"
                r"replay\w*|backfill\w*|re-?index\w*|compliance|retention|retained)\b", True),
    # Retraining that happens without a person starting it.
    "retraining": (r"\b(re-?train\w*|re-?fit\w*|trains? (daily|weekly|nightly|hourly|every)|runs when|"
                   r"triggered (by|when)|accumulat\w*)\b", True),
    "cadence": (r"\b(daily|nightly|weekly|hourly|monthly|every \w+|regularly|automatic\w*|continuous\w*|"
                r"scheduled|on a schedule|when \d|accumulat\w*|triggered)\b", True),
    # A vendor's terms for the data sent to it.
    "vendor_terms": (r"(\bno[- ]retention\b|\bzero[- ](data )?retention\b|\bnot (used|retained) (for|to) "
                     r"train\w*|does not (train|retain|store)|never (trains?|retains?|stores?)|"
                     r"enterprise (agreement|terms|contract)|\bdpa\b|data processing (agreement|addendum)|"
                     r"\bbaa\b|private (endpoint|link|deployment)|(our|same|own)[- ](vpc|cloud|tenant|account))",
                     False),
    # Personal data kept out of what is sent.
    "redaction": (r"(redact\w*|(strip\w*|scrub\w*|mask\w*|remov\w*|filter\w*|tokeni[sz]\w*|hash\w*)\b[^.;]{0,40}"
                     r"\b(pii|personal|secrets|identifiers|account numbers?|card numbers?|names)|"
                     r"\b(pii|personal data|identifiers)\b[^.;]{0,30}\b(strip|scrub|mask|redact|remov|filter|"
                     r"tokeni[sz])\w*)", False),
    # Customers' personal, financial or health data.
    "personal": (r"\b(pii|personal (data|information|details)|customer (data|profile|details|records)|"
                 r"account (numbers?|details)|card numbers?|\bpan\b|transactions?|balances?|\bssn\b|"
                 r"social security|passport|date of birth|home address\w*|addresses|phone numbers?|medical|"
                 r"health (data|records?)|patient\w*|diagnos\w*|salar(y|ies)|payroll)\b", True),
    # Model quality measured against outcomes.
    "quality": (r"\b(precision|recall|accuracy|overturn\w*|agreement|error rate|\bmae\b|\brmse\b|\bmape\b|"
                r"\bauc\b|calibration|log ?loss|f1|hit rate|false (positive|negative)s?)\b", True),
    # Input or prediction distributions watched for change.
    "drift": (r"\b(drift\w*|distribution\w*|\bpsi\b|divergence|shift\w*|(flag|score|block|approval|"
              r"prediction|positive) rates?|rates? (per|by) \w+|\d+x change|histogram)\b", True),
    # What users get when the model or a store fails.
    "fallback": (r"\b(fall(s|ing)? ?back\w*|fail(s)? (closed|open|safe)|fail-(closed|open|safe)|"
                 r"default (answer|score|ranking|list|response|value)s?|degrad\w*|previous model|"
                 r"cached (answer|result|ranking)s?|popular(ity)? (list|items|fallback))\b", True),
}


class Said(NamedTuple):
    text: str  # the sentence, trimmed
    path: tuple[Any, ...]  # where it is written
    owner: Optional[str]  # the component (or model) it is written on; None: the design's notes


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


class Prose:
    def __init__(self, g: "DesignGraph") -> None:
        self.g = g

    @cached_property
    def passages(self) -> list[tuple[str, tuple[Any, ...], Optional[str], bool]]:
        """(text, path, owner, on a flow) for every piece of free text in the design."""
        g = self.g
        found: list[tuple[str, tuple[Any, ...], Optional[str], bool]] = []
        for cid, comp in g.components.items():
            for field in ("label", "notes"):
                value = getattr(comp, field, None)
                if isinstance(value, str) and value.strip():
                    found.append((value, g.path_of(cid, field), cid, False))
        for edge in g.edges:
            if isinstance(edge.label, str) and edge.label.strip():
                # A flow's words say what it carries; the receiving end owns them.
                found.append((edge.label, tuple(edge.path) if edge.path else ("flows",), edge.dst, True))
        notes = getattr(g.design, "notes", None)
        if isinstance(notes, str) and notes.strip():
            found.append((notes, ("notes",), None, False))
        return found

    def find(self, concept: str, owners: Optional[Iterable[Optional[str]]] = None,
             also: Optional[str] = None, flows_only: bool = False) -> list[Said]:
        """Sentences that show ``concept`` (and, with ``also``, another concept in the same
        sentence), written on ``owners`` when given; ``flows_only``: only the labels of flows
        (what a flow carries), not notes."""
        pattern, negatable = CONCEPTS[concept]
        rx = re.compile(pattern, re.I)
        other = re.compile(CONCEPTS[also][0], re.I) if also else None
        wanted = set(owners) if owners is not None else None
        out: list[Said] = []
        for text, path, owner, on_flow in self.passages:
            if wanted is not None and owner not in wanted:
                continue
            if flows_only and not on_flow:
                continue
            for sentence in _sentences(text):
                if not rx.search(sentence) or (other is not None and not other.search(sentence)):
                    continue
                if negatable and _DENIED.search(sentence.lower().replace("would-be", "")):
                    continue
                out.append(Said(_short(sentence), path, owner))
        return out

    def flows_into(self, cid: str) -> list[str]:
        """Labels of the flows into ``cid``."""
        return [e.label for e in self.g.in_edges(cid) if isinstance(e.label, str) and e.label.strip()]
