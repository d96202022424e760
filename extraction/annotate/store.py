"""Stand-off annotation records in `annotations/`: where the figures are, never the text.

One JSON file per document, named by the sha256 of its UTF-8 text. A record holds offsets,
labels, links, values and fields; the text is re-read from the report (`source`) when the record
is used, and must hash to the same sha256 — so a record can never silently shift onto other
characters, and no report text is copied into the project.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

from ..figures.fields import FIELDS
from ..figures.labels import SPAN_LABELS
from .display import DOCUMENT, SHOWN
from .convert import AnnotationProblem, Pulled, _check_no_overlap, export_to_gold, sha256_text

DEFAULT_DIR = Path("annotations")
# What a stored span keeps: its text is left out (it is text[start:end] of the report).
SPAN_KEYS = ("id", "label", "start", "end", "item", "value", "unit", "approx", "field", "value_by")
VALUE_BY = ("person", "rule")
# Bounds of the guideline's spans (../shared/spec/annotation.md), far beyond the gold's largest
# (a QTY of 10 characters, an ITEM of 38, values 0 to 6·10⁸): a span or value outside them is a
# slip of the mouse or a hostile file, not a figure of a report.
MAX_CHARS = {"QTY": 40, "ITEM": 200}
MAX_VALUE = 1e12
MAX_UNIT_CHARS = 8
SHA256 = re.compile(r"^[0-9a-f]{64}$")


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


def save_records(docs: list[dict], folder: str | Path = DEFAULT_DIR, project: str = "",
                 problems: list[str] | None = None) -> list[Path]:
    """Write one record per document (a newer annotation of the same text replaces the older).

    A record the guideline does not allow (check_record) is not written: it goes to `problems`
    (or raises AnnotationProblem when there is no list)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in docs:
        try:
            check_record(record_from_doc(doc))
        except AnnotationProblem as e:
            if problems is None:
                raise
            problems.append(f"{doc.get('doc')} (sha256 {str(doc.get('sha256'))[:12]}…): {e}")
            continue
        path = folder / f"{doc['sha256']}.json"
        try:
            old = _read(path) if path.exists() else None
        except AnnotationProblem:
            old = None  # a broken file is replaced by the good record
        new = record_from_doc(doc, project)
        if isinstance(old, dict) and str(old.get("updated_at") or "") > str(new.get("updated_at") or ""):
            continue  # the stored annotation is newer (pulled from elsewhere); keep it
        path.write_text(json.dumps(new, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def store_export(tasks: list, folder: str | Path = DEFAULT_DIR, project: str = "",
                 where: str = "") -> list[str]:
    """Records for the annotated tasks of a Label Studio export (pull, import, the ML backend);
    returns what to tell the user: each task or annotation not used and why, then a summary
    line (starting with `where`, e.g. "FILE: "). A malformed task is reported, the others kept."""
    pulled = Pulled()
    for n, task in enumerate(tasks):
        try:
            check_task(task)
            one = export_to_gold([task])
        except (AnnotationProblem, TypeError, KeyError, AttributeError, ValueError) as e:
            tid = task.get("id") if isinstance(task, dict) else None
            pulled.problems.append(f"task {tid if tid is not None else f'#{n + 1}'}: {e}")
            continue
        pulled.docs += one.docs
        pulled.skipped += one.skipped
        pulled.problems += one.problems
    saved = save_records(pulled.docs, folder, project, problems=pulled.problems)
    cancelled = sum(s.endswith(": cancelled") for s in pulled.skipped)
    lines = [f"not used: {p}" for p in pulled.problems]
    lines.append(f"{where}{len(pulled.docs)} annotated reports ({len(saved)} records written to "
                 f"{folder}/), {len(pulled.skipped) - cancelled} not annotated yet, {cancelled} "
                 f"skipped by the annotator, {len(pulled.problems)} with problems")
    return lines


def load_records(folder: str | Path = DEFAULT_DIR, problems: list[str] | None = None) -> list[dict]:
    """The valid records of `folder`; each file that is not one goes to `problems` as
    "<file>: <reason>" (and is not used), so one bad file never stops the rest."""
    return [record for _, record in record_files(folder, problems)]


def record_files(folder: str | Path, problems: list[str] | None = None):
    """(file, record) of each valid record in `folder` (see load_records; without `problems`, the
    first bad file raises AnnotationProblem)."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.json")):
        try:
            record = _read(path)
            check_record(record)
        except AnnotationProblem as e:
            if problems is None:
                raise AnnotationProblem(f"{path}: {e}") from None
            problems.append(f"{path}: {e}")
            continue
        yield path, record


def check_task(task) -> None:
    """Raise AnnotationProblem unless `task` has the shape of a Label Studio export task (the
    parts export_to_gold reads): a clear reason instead of a traceback on a malformed export."""
    if not isinstance(task, dict):
        raise AnnotationProblem(f"a task is a JSON {type(task).__name__}, not an object")
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get(SHOWN), str) \
            or not isinstance(data.get(DOCUMENT, ""), str):
        raise AnnotationProblem("its data is not an object with a text")
    if not isinstance(data.get("source") or "", str) or not isinstance(data.get("sha256") or "", str):
        raise AnnotationProblem("its data's source / sha256 are not text")
    anns = task.get("annotations") or []
    if not isinstance(anns, list) or not all(isinstance(a, dict) for a in anns):
        raise AnnotationProblem("its annotations are not a list of objects")
    for a in anns:
        result = a.get("result") or []
        if not isinstance(result, list):
            raise AnnotationProblem(f"annotation {a.get('id')}: result is not a list")
        for r in result:
            if not isinstance(r, dict):
                raise AnnotationProblem(f"annotation {a.get('id')}: a result is not an object")
            if r.get("type") == "relation":
                continue
            if not isinstance(r.get("id"), (str, int)) or isinstance(r.get("id"), bool):
                raise AnnotationProblem(f"annotation {a.get('id')}: a region has no id")
            if not isinstance(r.get("value"), dict):
                raise AnnotationProblem(f"annotation {a.get('id')}: region {r['id']}: its value "
                                        f"{r.get('value')!r} is not an object")


def check_record(record) -> None:
    """Raise AnnotationProblem unless `record` is a stand-off record the guideline allows, field
    by field: a hex sha256, `doc` a plain file name, spans with known labels, whole-number
    offsets, bounded lengths, QTY values that are numbers in range, known fields, links to ITEMs
    of the record. (Offsets against the text and overlaps are checked once the text is read.)"""
    if not isinstance(record, dict):
        raise AnnotationProblem(f"not a record (a JSON {type(record).__name__}, not an object)")
    if not isinstance(record.get("sha256"), str) or not SHA256.match(record["sha256"]):
        raise AnnotationProblem(f"sha256 {record.get('sha256')!r} is not a SHA-256 in hex")
    doc = record.get("doc")
    if not isinstance(doc, str) or not doc or doc in (".", "..") or any(c in doc for c in "/\\\0"):
        raise AnnotationProblem(f"doc {doc!r} is not a plain file name (it is looked up inside "
                                "the --texts folders only)")
    if not isinstance(record.get("source") or "", str):
        raise AnnotationProblem(f"source {record.get('source')!r} is not a path")
    spans = record.get("spans")
    if not isinstance(spans, list):
        raise AnnotationProblem("spans is not a list")
    items, ids = set(), set()
    for s in spans:
        _check_span_fields(s, ids)
        if s["label"] == "ITEM":
            items.add(s["id"])
    for s in spans:
        if s["label"] == "QTY" and s.get("item") is not None and s["item"] not in items:
            raise AnnotationProblem(f"span {s['id']}: linked to item {s['item']!r}, which is not an "
                                    "ITEM of this record")


def _check_span_fields(s, ids: set) -> None:
    if not isinstance(s, dict):
        raise AnnotationProblem(f"a span is a JSON {type(s).__name__}, not an object")
    sid = s.get("id")
    if not _whole(sid) or sid in ids:
        raise AnnotationProblem(f"span id {sid!r} is not a whole number used once")
    ids.add(sid)
    where = f"span {sid}"
    label = s.get("label")
    if label not in SPAN_LABELS:
        raise AnnotationProblem(f"{where}: label {label!r} is not one of {', '.join(SPAN_LABELS)}")
    start, end = s.get("start"), s.get("end")
    if not (_whole(start) and _whole(end) and 0 <= start < end):
        raise AnnotationProblem(f"{where}: offsets {start!r}, {end!r} are not 0 <= start < end")
    if end - start > MAX_CHARS[label]:
        raise AnnotationProblem(f"{where}: a {label} of {end - start} characters (at most "
                                f"{MAX_CHARS[label]})")
    if label == "ITEM":
        extra = [k for k in ("item", "value", "unit", "field") if s.get(k) is not None]
        if extra:
            raise AnnotationProblem(f"{where}: an ITEM has no {', '.join(extra)}")
        return
    value = s.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 <= value <= MAX_VALUE:
        raise AnnotationProblem(f"{where}: value {value!r} is not a number from 0 to {MAX_VALUE:.0e}")
    unit = s.get("unit")
    if unit is not None and not (isinstance(unit, str) and len(unit) <= MAX_UNIT_CHARS):
        raise AnnotationProblem(f"{where}: unit {unit!r} is not a measure word")
    if s.get("approx") is not None and not isinstance(s["approx"], bool):
        raise AnnotationProblem(f"{where}: approx {s['approx']!r} is not true/false")
    field = s.get("field")
    if field is not None and field not in FIELDS:
        raise AnnotationProblem(f"{where}: field {field!r} is not one of the {len(FIELDS)} fields")
    if field is not None and s.get("item") is None:
        raise AnnotationProblem(f"{where}: a field on a QTY linked to no ITEM")
    if s.get("item") is not None and not _whole(s["item"]):
        raise AnnotationProblem(f"{where}: item {s['item']!r} is not a span id")
    if s.get("value_by") not in (None, *VALUE_BY):
        raise AnnotationProblem(f"{where}: value_by {s['value_by']!r} is not one of {VALUE_BY}")


def _whole(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def resolve_text(record: dict, search: list[str | Path] = ()) -> tuple[str, Path]:
    """The text a record indexes, re-read from its source (or a file of the same name in one of
    the `search` folders) and checked against its sha256; AnnotationProblem if none matches."""
    from ..pipeline import read_document
    candidates = [Path(record["source"])] if record.get("source") else []
    # `doc` is a plain name (check_record), and the file found must lie in its folder (no link out)
    candidates += [Path(d) / record["doc"] for d in search
                   if _inside(Path(d) / record["doc"], Path(d))]
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
    _check_no_overlap(spans)
    return {"doc": record["doc"], "sha256": record["sha256"], "spans": spans}


def load_gold(folder: str | Path = DEFAULT_DIR, search: list[str | Path] = ()) -> tuple[list[dict], list[str]]:
    """(gold documents with their `text`, problems) for every record in `folder`."""
    docs, problems = [], []
    for path, record in record_files(folder, problems):
        try:
            text, _ = resolve_text(record, search)
            docs.append({**record_to_gold(record, text), "text": text})
        except AnnotationProblem as e:
            problems.append(f"{path}: {e}")
    return docs, problems


def _read(path: Path):
    """The JSON of a record file; AnnotationProblem (with the reason) if it is not JSON."""
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise AnnotationProblem("not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise AnnotationProblem(f"not valid JSON (line {e.lineno}: {e.msg})") from None


def _inside(path: Path, folder: Path) -> bool:
    real, root = path.resolve(), folder.resolve()
    return real == root or root in real.parents
