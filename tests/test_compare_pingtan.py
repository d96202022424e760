"""The real 平潭 reports 2019–2022 (../shared, both table-2 formats) compared, and series.csv read
back against the gold: every value given is the gold value; the cells extraction could not read
(digits run together) are empty, marked `unread`, and no other."""
from __future__ import annotations

import json

import pandas as pd

from extraction.compare import CompareSettings, run_compare
from extraction.pipeline import extract

YEARS = (2019, 2020, 2021, 2022)
AGENCY = "平潭综合实验区管委会"


def test_pingtan_series_against_gold(shared, tmp_path):
    reports, gold_dir = shared / "corpus" / "reports", shared / "gold" / "reports"
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(extract(reports / f"{y}_pingtan.txt", figures=False), ensure_ascii=False)
                               + "\n" for y in YEARS), encoding="utf-8")
    result = run_compare([records], tmp_path / "out", CompareSettings())
    assert list(result.agencies) == [AGENCY] and sorted(result.agencies[AGENCY]) == list(YEARS)

    series = pd.read_csv(tmp_path / "out" / "series.csv", dtype={"value": "Float64"})
    exact = unread = 0
    for y in YEARS:
        gold = json.loads((gold_dir / f"{y}_pingtan.json").read_text(encoding="utf-8"))
        rows = series[series["source"] == str(reports / f"{y}_pingtan.txt")]
        assert set(rows["year"]) == {y} and set(rows["template"].astype(str)) == {gold["template"]}
        got = rows.set_index("key")
        for key, value in gold["values"].items():
            if key not in got.index:  # a row this report's format does not have: null in gold
                assert value is None, key
                continue
            row = got.loc[key]
            if row["value"] is pd.NA:
                assert row["status"] in ("unread", "blank"), key
                assert value is None or row["status"] == "unread", key
                unread += value is not None
            else:
                assert row["value"] == value, (y, key)
                exact += 1
    assert (exact, unread) == (754, 42)  # 796 cells; README: the 42 whose digits run together

    notes = pd.read_csv(tmp_path / "out" / "notes.csv")
    assert list(zip(notes["kind"], notes["year"])) == [("format_change", 2021)]
    cross = pd.read_csv(tmp_path / "out" / "crossyear.csv")
    carried = cross[cross["rule"] == "carried_over_cross_year"].set_index("year")
    for y in YEARS[1:]:
        this = json.loads((gold_dir / f"{y}_pingtan.json").read_text(encoding="utf-8"))["values"]
        last = json.loads((gold_dir / f"{y - 1}_pingtan.json").read_text(encoding="utf-8"))["values"]
        assert (carried.loc[y, "left"], carried.loc[y, "right"]) == (
            this["requests.carried_over.total"], last["requests.carried_forward.total"])
    assert cross["ok"].all()
