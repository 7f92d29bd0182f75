"""What the problem statement implies: task families, freshness as seconds, metric kinds.

Metric names are open text, so they are read the way an interviewer reads them: by the
family a name belongs to (``ndcg@10`` and ``retrieval_recall_at_k`` are ranking metrics,
``per_task_normalized_entropy`` measures probabilities), never by exact spelling.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

# Tasks whose model decides what people are shown: its labels come from its own exposure.
EXPOSURE_TASKS = frozenset({"recommendation", "ranking", "search", "ads_ctr"})
# Tasks whose positive class is rare by nature.
IMBALANCED_TASKS = frozenset({"fraud_detection", "ads_ctr", "content_moderation", "anomaly_detection"})
# Words in a title or objective that make a classification task imbalanced by nature.
IMBALANCE_WORDS = re.compile(r"\b(fraud|spam|abuse|scam|phishing|anomal\w*|intrusion|fault|defect|"
                             r"chargeback|takeover|bot|toxic\w*|violat\w*|churn)\b", re.IGNORECASE)
# Tasks whose decisions protect users or money; shadow runs and delayed labels, not A/B
# tests, are the standard live evidence there (holding protection back costs real harm).
PROTECTIVE_TASKS = frozenset({"fraud_detection", "content_moderation", "anomaly_detection"})
LLM_TASKS = frozenset({"llm_rag", "llm_assistant"})
RANKING_TASKS = frozenset({"recommendation", "ranking", "search"})

FRESHNESS_SECONDS = {
    "realtime": 1.0, "seconds": 10.0, "minutes": 600.0, "hourly": 3600.0, "daily": 86400.0,
    "weekly": 604800.0,
}
SCHEDULE_SECONDS = {"hourly": 3600.0, "daily": 86400.0, "weekly": 604800.0, "monthly": 2592000.0}
SLOW = ("hourly", "daily", "weekly")
FAST = ("realtime", "seconds", "minutes")


def schedule_seconds(schedule: Optional[str]) -> Optional[float]:
    """The period of a schedule: a keyword, or a cron expression read coarsely (its most
    frequent field). None for on_trigger, continuous or nothing."""
    if not schedule:
        return None
    text = schedule.strip().lower()
    if text in SCHEDULE_SECONDS:
        return SCHEDULE_SECONDS[text]
    fields = text.split()
    if len(fields) != 5:
        return None
    minute, hour, day, month, weekday = fields
    if minute.startswith("*"):
        return 60.0
    if hour.startswith("*"):
        return 3600.0
    if day.startswith("*") and weekday in ("*", "?"):
        return 86400.0
    if weekday not in ("*", "?"):
        return 604800.0
    if month.startswith("*"):
        return 2592000.0
    return 31536000.0


def say_seconds(seconds: float) -> str:
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


_RANKING = re.compile(r"(ndcg|^map(@|_|$)|mean_average_precision|mrr|recall(@|_at)|precision(@|_at)|hit_?rate|"
                      r"success(@|_at)|top_?\d|coverage@|_at_k\b)")
_PROBABILISTIC = re.compile(r"(log_?loss|cross_?entropy|normalized_entropy|(^|_)ne($|_)|auc|brier|calibration|"
                            r"ece\b|likelihood|perplexity)")
_CALIBRATION = re.compile(r"(calibration|log_?loss|cross_?entropy|normalized_entropy|(^|_)ne($|_)|brier|ece\b|"
                          r"reliability)")
_OFF_POLICY = re.compile(r"(replay|ips|inverse_propensity|off_policy|doubly_robust|counterfactual|take_fraction|"
                         r"progressive)")
_RARE_CLASS = re.compile(r"(pr_?auc|precision|recall|f1|f_beta|auc|average_precision|mcc|balanced_accuracy|"
                         r"kappa|at_\d+(_?pct)?_?fpr|@\d)")


def is_ranking_metric(name: str) -> bool:
    text = _norm(name)
    return bool(_RANKING.search(text)) and not text.startswith("mape")


def is_probabilistic_metric(name: str) -> bool:
    return bool(_PROBABILISTIC.search(_norm(name)))


def is_calibration_metric(name: str) -> bool:
    return bool(_CALIBRATION.search(_norm(name)))


def is_off_policy_metric(name: str) -> bool:
    return bool(_OFF_POLICY.search(_norm(name)))


def sees_rare_class(name: str) -> bool:
    """A metric that a majority-class predictor cannot ace (unlike plain accuracy)."""
    return bool(_RARE_CLASS.search(_norm(name)))


def is_accuracy(name: str) -> bool:
    return _norm(name) in ("accuracy", "acc", "top1_accuracy", "classification_accuracy")


_COMPOUND = re.compile(r"\s*(?:,|\+|&|;|\band\b|_and_)\s*")
_SLICE = re.compile(r"(_per_|_by_|_for_|_in_|@|_at_\d|_p\d\d\b)")


def metric_parts(name: str) -> list[str]:
    """The metrics a gate's metric names: 'faithfulness_and_acl_leak_rate' is two."""
    return [p for p in (_norm(part) for part in _COMPOUND.split(name or "")) if p]


def names_metric(name: str, declared: Iterable[str]) -> Optional[str]:
    """The declared metric that ``name`` is, or is a slice of ('macro_f1_per_crop' of 'macro_f1')."""
    wanted = _norm(name)
    for metric in declared:
        if not isinstance(metric, str) or not metric.strip():
            continue
        base = _norm(metric)
        if wanted == base:
            return metric
        if wanted.startswith(base) and _SLICE.match(wanted[len(base):]):
            return metric
        if base.startswith(wanted) and _SLICE.match(base[len(wanted):]):
            return metric
    return None


# An online metric that measures a model against outcomes as they are labelled (not clicks or
# revenue, which any change moves).
LIVE_QUALITY = (r"(precision|recall|accuracy|overturn|agreement|false_(positive|negative)|error_rate|"
                r"(^|_)mae(_|$)|mape|rmse|hit_rate|chargeback_rate|calibration)")


def mentions(values: Iterable[str], pattern: str) -> list[str]:
    """The values whose normalized text matches ``pattern`` (a regular expression)."""
    rx = re.compile(pattern)
    return [v for v in values if isinstance(v, str) and rx.search(_norm(v))]
