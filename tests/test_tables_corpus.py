"""Seeds and real reports against their gold values (read from ../shared; skipped without it).

Seeds: every value exact. Real reports: every value exact, except table 2 rows of the crawler
texts whose digits run together with no rule to split them: those are left blank, with a
warning — never a wrong number.
"""
from __future__ import annotations

import json

import pytest

from conftest import shared_path
from extraction.pipeline import extract

SEEDS = ["000_a0bb3611867a5c73", "001_1160e2568716ca2c", "002_34b90e918291ef22",
         "003_066c2f16e81325c2", "004_a45bd972aea0d5d6"]
REPORTS = ["2019_pingtan.txt", "2020_pingtan.txt", "2021_pingtan.txt", "2022_pingtan.txt",
           "kewei_2024.md", "shuyang_fgj_2023.html", "hongze_2023.pdf", "hongze_2024.pdf"]
# Table 2 rows printed as digit runs that split more than one way (no template rule applies).
UNSPLITTABLE = {
    "2019_pingtan": {"normative_docs", "licensing", "other_services", "penalty", "enforcement", "fees",
                     "procurement"},
    "2020_pingtan": {"normative_docs", "licensing", "other_services", "penalty", "enforcement",
                     "procurement"},
    "2021_pingtan": {"normative_docs"},
    "2022_pingtan": {"normative_docs"},
}


def gold(*parts) -> dict:
    return json.loads(shared_path("gold", *parts).read_text(encoding="utf-8"))


def differences(record: dict, want: dict) -> dict:
    got = record.values
    return {k: (got.get(k), v) for k, v in want.items()
            if not (got.get(k) == v or (isinstance(v, float) and got.get(k) is not None
                                        and abs(got[k] - v) < 1e-6))}


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_values_exact(seed):
    record = extract(shared_path("seeds", seed + ".txt"), figures=False)
    assert differences(record, gold("seeds", seed + ".json")["values"]) == {}


@pytest.mark.parametrize("name", REPORTS)
def test_report_values_exact_or_left_blank(name):
    stem = name.rsplit(".", 1)[0]
    want = gold("reports", stem + ".json")
    record = extract(shared_path("corpus", "reports", name), figures=False)
    assert record.template == want.get("template", "2021")
    diff = differences(record, want["values"])
    blank_rows = UNSPLITTABLE.get(stem, set())
    assert {k for k, (got, _) in diff.items() if got is not None} == set(), "a wrong number"
    assert {k.split(".")[1] for k in diff} == blank_rows
    for row in blank_rows:
        assert any(f"proactive.{row} left blank" in w for w in record.warnings), row
    # Every value says where it is: a printed one is exactly its text.
    from extraction.readers import read
    text = read(shared_path("corpus", "reports", name)).text
    for key, cell in record.cells.items():
        if cell.raw and not cell.inferred and record.values.get(key) is not None:
            assert text[cell.start:cell.end] == cell.raw, key
