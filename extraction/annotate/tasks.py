"""Report files -> Label Studio tasks carrying the current model's predictions.

One task per report: its text as `xxgk text` prints it (so offsets are those of the records),
its source path and the sha256 of the text (how a report already in a project is recognised).
The task's prediction score puts the most uncertain reports first when sorted lowest first.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..record import Figure
from .convert import figures_to_spans, sha256_text, spans_to_results


@dataclass
class TaskSettings:
    model_version: str = "none"
    # A region with no score from the model counts as this sure.
    default_score: float = 1.0
    # Uncertainty is summed over regions per this many characters of text (length-normalised).
    per_chars: int = 1000


def task_score(scores: list[float], n_chars: int, per_chars: int = 1000) -> float:
    """exp(-uncertainty per `per_chars` characters), uncertainty = sum of (1 - region score).

    1.0 = the model is sure of everything it tagged; lower = more doubt per page of text, so a
    long report is not ranked uncertain merely for having many figures.
    """
    doubt = sum(1.0 - min(max(s, 0.0), 1.0) for s in scores)
    return round(math.exp(-doubt * per_chars / max(n_chars, 1)), 6)


def make_task(text: str, source: str, figures: list[Figure], settings: TaskSettings) -> dict:
    """A Label Studio task (data + one prediction) for a report's text and its figures."""
    spans = figures_to_spans(text, figures)
    result = spans_to_results(text, spans)
    scores = [settings.default_score if s.get("score") is None else s["score"] for s in spans]
    return {
        "data": {"text": text, "source": source, "sha256": sha256_text(text)},
        "predictions": [{"model_version": settings.model_version,
                         "score": task_score(scores, len(text), settings.per_chars),
                         "result": result}],
    }


def tasks_for_files(paths: list[Path], model=None, settings: TaskSettings | None = None,
                    on_error=None) -> list[dict]:
    """Tasks for report files, predictions from `model` (a loaded figure tagger) through the
    whole pipeline, so they are exactly what `xxgk extract` would output. Files that cannot be
    read are passed to `on_error(path, message)` and left out."""
    from ..errors import ExtractionError
    from ..pipeline import extract_document, read_document
    settings = settings or TaskSettings()
    tasks = []
    for path in paths:
        try:
            doc = read_document(path)
        except (ExtractionError, OSError) as e:
            if on_error:
                on_error(path, str(e))
            continue
        record = extract_document(doc, model=model, figures=model is not None)
        tasks.append(make_task(doc.text, str(path), record.figures or [], settings))
    return tasks


def most_uncertain(tasks: list[dict], limit: int | None = None) -> list[dict]:
    """Tasks in order of rising task score (most uncertain first), the first `limit` of them."""
    ordered = sorted(tasks, key=lambda t: t["predictions"][0]["score"])
    return ordered if limit is None else ordered[:limit]
