"""A cell's `raw` is the text as printed: exactly `doc.text[start:end]` (full-width digits kept).

Parsing reads normalised text ("１２" -> "12"); `raw` must not. This holds for every kind of cell:
one printed value, a value cut out of a run-together cell (`inferred`, raw = its digits as
printed), a lost cell completed by the rules (`inferred`, empty raw at an empty span) and a row
left unread (each cell keeps the row's whole printed stretch, from its first to its last value).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import shared_path
from extraction.readers import read
from extraction.sections import find_sections
from extraction.tables import extract_tables

SAMPLES = sorted(p for p in (Path(__file__).parent.parent / "extraction" / "samples").iterdir()
                 if p.suffix != ".jsonl")
SEEDS = ["000_a0bb3611867a5c73", "001_1160e2568716ca2c", "002_34b90e918291ef22",
         "003_066c2f16e81325c2", "004_a45bd972aea0d5d6"]


def misprinted(path) -> dict:
    doc = read(path)
    result = extract_tables(doc, find_sections(doc))
    assert result.cells, f"{path}: no cells read"
    return {k: (c["raw"], doc.text[c["start"]:c["end"]]) for k, c in result.cells.items()
            if c.get("start") is not None and c["raw"] != doc.text[c["start"]:c["end"]]}


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_cells_raw_is_printed_text(path):
    assert misprinted(path) == {}


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_cells_raw_is_printed_text(seed):
    assert misprinted(shared_path("seeds", seed + ".txt")) == {}


def test_full_width_digits_stay_in_raw_of_a_split_run(tmp_path):
    # Table 4's fifteen values run together in full-width digits: 12 0 0 0 12 | 1 0 0 0 1 | 0 x5.
    path = tmp_path / "r.txt"
    path.write_text(
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计\n"
        "１２０００１２１０００１０００００\n"
        "五、存在的主要问题及改进情况\n无。\n", encoding="utf-8")
    doc = read(path)
    result = extract_tables(doc, find_sections(doc))
    assert result.values["review.upheld"] == 12
    assert result.cells["review.upheld"]["raw"] == "１２"
    assert result.cells["review.upheld"]["inferred"] is True
    assert result.values["litigation.direct.total"] == 1
    assert misprinted(path) == {}
