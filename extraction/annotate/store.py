"""Stand-off annotation records in `annotations/`: where the figures are, never the text.

One JSON file per document, named by the sha256 of its UTF-8 text. A record holds offsets,
labels, links, values and fields; the text is re-read from the report (`source`) when the record
is used, and must hash to the same sha256 — so a record can never silently shift onto other
characters, and no report text is copied into the project.
"""
from __future__ import annotations

import json
from pathlib import Path

from .convert import AnnotationProblem, export_to_gold, sha256_text

DEFAULT_DIR = Path("annotations")
# What a stored span keeps: its text is left out (it is text[start:end] of the report).
SPAN_KEYS = ("id", "label", "start", "end", "item", "value", "unit", "approx", "field", "value_by")


def record_from_doc(doc: dict, project: str = "") -> dict:
    """The stand-off record of a pulled gold document (see convert.export_to_gold)."""
    return {
        "sha256": doc["sha256"],
        "doc": doc["doc"],
        "source": doc.get("source", ""),
        "project": project,
        "task": doc.get("task"),
        "annotation": doc.get("annotation"),
        "updated_at": doc.get("updated_at"),
        "spans": [{k: s[k] for k in SPAN_KEYS if k in s} for s in doc["spans"]],
    }


def save_records(docs: list[dict], folder: str | Path = DEFAULT_DIR, project: str = "") -> list[Path]:
    """Write one record per document (a newer annotation of the same text replaces the older)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in docs:
        path = folder / f"{doc['sha256']}.json"
        old = _read(path) if path.exists() else None
        new = record_from_doc(doc, project)
        if old and str(old.get("updated_at") or "") > str(new.get("updated_at") or ""):
            continue  # the stored annotation is newer (pulled from elsewhere); keep it
        path.write_text(json.dumps(new, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def store_export(tasks: list[dict], folder: str | Path = DEFAULT_DIR, project: str = "") -> list[str]:
    """Records for the annotated tasks of a Label Studio export (pull, import, the ML backend);
    returns what to tell the user: each annotation not used and why, then a summary line."""
    pulled = export_to_gold(tasks)
    saved = save_records(pulled.docs, folder, project)
    cancelled = sum(s.endswith(": cancelled") for s in pulled.skipped)
    lines = [f"not used: {p}" for p in pulled.problems]
    lines.append(f"{len(pulled.docs)} annotated reports ({len(saved)} records written to "
                 f"{folder}/), {len(pulled.skipped) - cancelled} not annotated yet, {cancelled} "
                 f"skipped by the annotator, {len(pulled.problems)} with problems")
    return lines


def load_records(folder: str | Path = DEFAULT_DIR) -> list[dict]:
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [_read(p) for p in sorted(folder.glob("*.json"))]


def resolve_text(record: dict, search: list[str | Path] = ()) -> tuple[str, Path]:
    """The text a record indexes, re-read from its source (or a file of the same name in one of
    the `search` folders) and checked against its sha256; AnnotationProblem if none matches."""
    from ..pipeline import read_document
    candidates = [Path(record["source"])] if record.get("source") else []
    candidates += [Path(d) / record["doc"] for d in search]
    tried = []
    for path in candidates:
        if not path.is_file():
            continue
        text = read_document(path).text
        if sha256_text(text) == record["sha256"]:
            return text, path
        tried.append(str(path))
    why = f"its text changed ({', '.join(tried)})" if tried else "no source file found"
    raise AnnotationProblem(f"annotation of {record['doc']} (sha256 {record['sha256'][:12]}…): {why}")


def record_to_gold(record: dict, text: str) -> dict:
    """A gold document (spec/annotation.md) from a record and its verified text."""
    spans = []
    for s in record["spans"]:
        start, end = s["start"], s["end"]
        if not (0 <= start < end <= len(text)):
            raise AnnotationProblem(f"{record['doc']}: span {s['id']}: bad offsets {start}, {end}")
        spans.append({**{k: v for k, v in s.items() if k != "value_by"},
                      "text": text[start:end]})
    return {"doc": record["doc"], "sha256": record["sha256"], "spans": spans}


def load_gold(folder: str | Path = DEFAULT_DIR, search: list[str | Path] = ()) -> tuple[list[dict], list[str]]:
    """(gold documents with their `text`, problems) for every record in `folder`."""
    docs, problems = [], []
    for record in load_records(folder):
        try:
            text, _ = resolve_text(record, search)
            docs.append({**record_to_gold(record, text), "text": text})
        except AnnotationProblem as e:
            problems.append(str(e))
    return docs, problems


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
