"""The typed record: `Record.from_json(r.to_json())` gives back the very same JSON line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED
from extraction import extract
from extraction.record import Cell, Check, Figure, Record

SAMPLES = Path(__file__).resolve().parent.parent / "extraction" / "samples"


def line(raw: dict) -> str:
    return json.dumps(raw, ensure_ascii=False)  # key order counts: it is what users diff


def report_files() -> list[Path]:
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix != ".jsonl")
    for sub in ("seeds", "corpus/reports"):  # real reports, where the shared folder is here
        folder = SHARED / sub
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.suffix.lower() != ".tsv")
    return files


@pytest.fixture(scope="module")
def records() -> list[Record]:
    from extraction.figures import load_default_model
    model = load_default_model()
    return [extract(f, model=model) for f in report_files()]


def test_every_record_survives_a_round_trip_unchanged(records):
    assert len(records) >= 5
    for r in records:
        raw = r.to_json()
        back = Record.from_json(json.loads(line(raw)))
        assert line(back.to_json()) == line(raw), r.source
        assert back == r


def test_records_have_the_documented_keys_in_order(records):
    read = [r.to_json() for r in records if r.error is None]
    assert read
    for raw in read:
        assert list(raw)[:13] == ["source", "sha256", "format", "title", "agency", "year", "template",
                                  "values", "cells", "figures", "checks", "narrative_checks", "warnings"]
        for cell in raw["cells"].values():
            assert list(cell)[:4] == ["raw", "page", "start", "end"]
            assert set(cell) <= {"raw", "page", "start", "end", "inferred", "status"}  # inferred only when true
            assert cell.get("inferred", True) is True
            assert cell["status"] in ("read", "blank", "inferred", "not_read")
        assert raw["coverage"]["read"] <= raw["coverage"]["expected"] == len(raw["values"])


def test_an_error_record_is_source_sha256_and_error_only(tmp_path):
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    r = extract(p, figures=False)
    assert r.error.type == "not_text"
    assert list(r.to_json()) == ["source", "sha256", "error"]
    assert Record.from_json(r.to_json()) == r


def test_unknown_keys_are_kept_after_the_known_ones():
    raw = {"source": "a.txt", "sha256": None, "format": "txt", "title": None, "agency": None,
           "year": None, "template": None, "values": {"requests.new.total": 3},
           "cells": {"requests.new.total": {"raw": "3", "page": None, "start": 1, "end": 2,
                                            "provenance": "checked"}},
           "figures": [{"qty": "3件", "value": 3, "by": "rule", "new_thing": [1]}],
           "checks": [{"rule": "balance", "key": "k", "ok": True, "keys": ["a", "b"]}],
           "warnings": [], "added_later": {"x": 1}}
    r = Record.from_json(raw)
    assert r.cells["requests.new.total"].extra == {"provenance": "checked"}
    assert isinstance(r.figures[0], Figure) and r.figures[0].extra == {"new_thing": [1]}
    assert isinstance(r.checks[0], Check) and r.checks[0].extra == {"keys": ["a", "b"]}
    assert r.extra == {"added_later": {"x": 1}}
    out = r.to_json()
    assert out["cells"]["requests.new.total"]["provenance"] == "checked"
    assert list(out)[-1] == "added_later"
    assert "narrative_checks" not in out  # absent in older records: not invented on the way back


def test_optional_parts_are_written_only_when_set():
    assert Cell("3", None, 1, 2).to_json() == {"raw": "3", "page": None, "start": 1, "end": 2}
    assert Cell("3", None, 1, 2, inferred=True).to_json()["inferred"] is True
    assert "blanks_as_zero" not in Check("balance", "k", True, 1, 1, "").to_json()
