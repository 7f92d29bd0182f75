"""What the pillar modules share: naming things in messages, and the prerequisites most
rules depend on (a model, a design that validated)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional

from ..outcome import Outcome, missing

if TYPE_CHECKING:
    from ..analysis import Analysis, ModelFacts
    from ..outcome import Evidence


def quote_ids(ids: Iterable[str], limit: Optional[int] = 4) -> str:
    """``'a', 'b' and 3 more``: component ids as messages name them."""
    ids = list(ids)
    shown = ids if limit is None else ids[:limit]
    text = ", ".join(f"'{cid}'" for cid in shown)
    return text + (f" and {len(ids) - len(shown)} more" if len(ids) > len(shown) else "")


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" or word.lower().startswith("hour") else "a"


def named(a: "Analysis", cid: Optional[str]) -> str:
    """``'features' (feast)``: a component as evidence names it."""
    if not cid:
        return "nothing"
    comp = a.graph.components.get(cid)
    tech = getattr(comp, "tech", None)
    return f"'{cid}' ({tech})" if tech else f"'{cid}' ({getattr(comp, 'kind', None) or 'unknown kind'})"


def which(model: "ModelFacts") -> str:
    """How a message names a model: "model 'ranker'", or its server when it has no name."""
    return f"model '{model.name}'" if model.declared else f"'{model.name}'"


def unresolved(a: "Analysis") -> list[str]:
    """Components whose kind could not be read (schema-violation reports them)."""
    return [cid for cid, c in a.graph.components.items() if getattr(c, "kind", None) is None]


def needs_models(a: "Analysis") -> Optional[Outcome]:
    """The outcome of a rule about models when the design has none to judge, else None."""
    if not a.models:
        if unresolved(a):
            return missing("schema-violation", "a component's kind could not be read, so its model is unknown")
        return missing("no-model", "the design has no model to judge")
    return None


def needs_trained(a: "Analysis") -> Optional[Outcome]:
    """For rules about training: missing when there is no model; N/A when every model comes
    trained from elsewhere (a vendor API, pretrained weights), which is the design's choice."""
    from ..outcome import not_applicable

    early = needs_models(a)
    if early is not None:
        return early
    if not a.trained_models:
        return not_applicable("no model is trained here: each is pretrained or a vendor's")
    trainers = {m.trainer for m in a.trained_models if m.trainer}
    if trainers and not any(a.graph.predecessors(t, "stream", "batch") for t in trainers):
        return missing("no-data-source", "no data reaches training, so there is nothing to judge")
    return None


def said(a: "Analysis", concept: str, owners: Optional[Iterable[Optional[str]]] = None,
         also: Optional[str] = None) -> Optional["Evidence"]:
    """The design's own words for ``concept`` (analysis.prose), as evidence, or None. Words only
    ever satisfy a rule; they never raise one."""
    from ..outcome import Evidence

    found = a.prose.find(concept, owners, also)
    if not found:
        return None
    first = found[0]
    where = f"'{first.owner}' says" if first.owner else "the design's notes say"
    return Evidence(f"{where}: \"{first.text}\"", first.path)
