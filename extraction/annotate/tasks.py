"""Report files -> Label Studio tasks carrying the current model's predictions.

One task per report: its text as `xxgk text` prints it (so offsets are those of the records) and
as the annotator sees it (display.py: tables as rows, same offsets), its source path and the
sha256 of the text (how a report already in a project is recognised).
The task's prediction score puts the most uncertain reports first when sorted lowest first: the
doubt of the figure model's regions and of the field classifier's decisions. The fields are where
annotations teach most (a simulation in README: "Which reports to annotate next").
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..record import Figure
from .convert import figures_to_spans, sha256_text, spans_to_results
from .display import shown_text, task_data


@dataclass
class TaskSettings:
    model_version: str = "none"
    # A region with no score from the model counts as this sure.
    default_score: float = 1.0
    # Uncertainty is summed over regions per this many characters of text (length-normalised).
    per_chars: int = 1000


def model_version(name: str, field_encoder: str | None = None) -> str:
    """The model_version predictions carry: the model's name, `+e5` when its fields came from
    the classifier that also reads that encoder (so people know which predictions they corrected)."""
    return f"{name}+{field_encoder}" if field_encoder else name


def task_score(scores: list[float], n_chars: int, per_chars: int = 1000) -> float:
    """exp(-uncertainty per `per_chars` characters), uncertainty = sum of (1 - score) over the
    regions and the field decisions.

    1.0 = the model is sure of everything it tagged; lower = more doubt per page of text, so a
    long report is not ranked uncertain merely for having many figures.
    """
    doubt = sum(1.0 - min(max(s, 0.0), 1.0) for s in scores)
    return round(math.exp(-doubt * per_chars / max(n_chars, 1)), 6)


def prediction(text: str, figures: list[Figure], settings: TaskSettings) -> dict:
    """One Label Studio prediction (regions, fields, values, links; a task score) for a text and
    its figures: what `push` imports and what the ML backend (`serve`) returns."""
    spans = figures_to_spans(text, figures)
    scores = [settings.default_score if s.get("score") is None else s["score"] for s in spans]
    scores += [f.field_score for f in figures if f.field_score is not None]
    return {"model_version": settings.model_version,
            "score": task_score(scores, len(text), settings.per_chars),
            "result": spans_to_results(text, spans, shown_text(text))}


def make_task(text: str, source: str, figures: list[Figure], settings: TaskSettings) -> dict:
    """A Label Studio task (data + one prediction) for a report's text and its figures."""
    return {"data": {**task_data(text), "source": source, "sha256": sha256_text(text)},
            "predictions": [prediction(text, figures, settings)]}


def figures_of(docs: list, model=None) -> list[list[Figure]]:
    """The figures `xxgk extract` outputs for each document, the model run once over all of them
    (its windows batched across documents): a first pass through the pipeline records what it
    would tag, the model tags it all, a second pass replays the answers."""
    from ..pipeline import extract_document
    if model is None or not docs:
        return [extract_document(d, figures=True).figures or [] for d in docs]
    recorder = _Tagger(model)
    for d in docs:
        extract_document(d, model=recorder)
    answers = model.tag([item for call in recorder.calls for item in call])
    replay = _Tagger(model, answers)
    return [extract_document(d, model=replay).figures or [] for d in docs]


class _Tagger:
    """Stands in for the figure model: records the items it is asked to tag (answers nothing),
    or gives back `answers` in the order the items were asked for."""
    def __init__(self, model, answers=None):
        self.field_mapper = getattr(model, "field_mapper", None)
        self.calls: list[list] = []
        self._answers = list(answers) if answers is not None else None

    def tag(self, items):
        items = list(items)
        if self._answers is None:
            self.calls.append(items)
            return [[] for _ in items]
        out, self._answers = self._answers[:len(items)], self._answers[len(items):]
        return out


def read_reports(paths: list[Path], on_error=None) -> list:
    """Documents of the report files that can be read; the others go to on_error(path, message)."""
    from ..errors import ExtractionError
    from ..pipeline import read_document
    docs = []
    for path in paths:
        try:
            docs.append(read_document(path))
        except (ExtractionError, OSError) as e:
            if on_error:
                on_error(path, str(e))
    return docs


def tasks_for_docs(docs: list, model=None, settings: TaskSettings | None = None) -> list[dict]:
    """Tasks for documents, predictions from `model` (a loaded figure tagger, or None for the
    rules) through the whole pipeline, so they are exactly what `xxgk extract` would output."""
    settings = settings or TaskSettings()
    return [make_task(d.text, d.source, f, settings) for d, f in zip(docs, figures_of(docs, model))]


def most_uncertain(tasks: list[dict], limit: int | None = None) -> list[dict]:
    """Tasks in order of rising task score (most uncertain first), the first `limit` of them."""
    ordered = sorted(tasks, key=lambda t: t["predictions"][0]["score"])
    return ordered if limit is None else ordered[:limit]
