"""A draft feedback paragraph an interviewer can paste and edit, from the score itself.

It says the verdict and what decides it, the two or three strongest points by the evidence
behind them, the gaps that cost the most points, and what to study next (the `explain`
pages of the rules behind those gaps). Everything comes from the score object, so the
paragraph never disagrees with the numbers beside it.
"""

from __future__ import annotations

from typing import Any


def _lost(c: Any) -> float:
    return c.points - (c.earned or 0.0) if c.earned is not None else 0.0


def draft_feedback(score: Any, title: str = "") -> dict[str, Any]:
    """{"text": paragraph, "strengths": [...], "gaps": [...], "study": [...]}."""
    criteria = [c for s in score.sections for c in s.criteria]
    strengths = sorted((c for c in criteria if c.evidence and c.earned and c.earned >= c.points - 1e-9),
                       key=lambda c: (-c.points, c.id))[:3]
    gaps = sorted((c for c in criteria if c.scored_by == "auto" and _lost(c) > 1e-9),
                  key=lambda c: (-_lost(c), c.id))[:3]
    study: list[str] = []
    for c in gaps:
        for rule in c.fired:
            if rule not in study:
                study.append(rule)
    study = study[:4]

    levels = [level for level in score.bars]
    met = [level for level in levels if score.verdict.get(level) == "meets"]
    percent = score.percent
    head = title.strip() or "The design"
    if met and len(met) == len(levels):
        verdict = f"{head} meets the {' and '.join(levels)} bars"
    elif met:
        verdict = f"{head} meets {', '.join(met)} but not {', '.join(x for x in levels if x not in met)}"
    else:
        verdict = f"{head} is below the {' and '.join(levels)} bars"
    if percent is not None:
        verdict += f" at {percent:.0f}%"
    if score.capped:
        verdict += f" (capped from {score.capped['uncapped']:.0f}%)"
    reasons = []
    blocking = score.verdict.get("blocking") or []
    if blocking:
        reasons.append("it is held back by " + ", ".join(blocking))
    below = [level for level, bar in score.bars.items() if bar.get("below_min_score")]
    if below:
        reasons.append(f"it earns less than the bar's share of the points at {', '.join(below)}")
    sentences = [verdict + (f": {'; '.join(reasons)}." if reasons else ".")]
    if strengths:
        sentences.append("Strongest: " + "; ".join(f"{c.title.lower()} ({c.evidence[0]})" for c in strengths) + ".")
    if gaps:
        sentences.append("What cost the most: " + "; ".join(
            f"{c.title.lower()} ({', '.join(c.fired) if c.fired else 'not shown'})" for c in gaps) + ".")
    if study:
        sentences.append("To study next: " + ", ".join(f"`designgrade explain {r}`" for r in study) + ".")
    if score.unscored:
        sentences.append(f"Provisional until {len(score.unscored)} manual criteria are scored.")
    return {
        "text": " ".join(sentences),
        "strengths": [{"criterion": c.id, "title": c.title, "evidence": list(c.evidence)} for c in strengths],
        "gaps": [{"criterion": c.id, "title": c.title, "lost": round(_lost(c), 2), "rules": list(c.fired)}
                 for c in gaps],
        "study": study,
    }
