"""The real reports of ../shared compared — 平潭 2019–2022 (both table-2 formats), 洪泽 2023–2024
and two single reports — and series.csv read back against the gold: every value given is the
gold value; the cells extraction could not read (digits run together) are empty, marked
`unread`, and no other."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import shared_path
from extraction.compare import CompareSettings, run_compare
from extraction.pipeline import extract

PINGTAN = "平潭综合实验区管委会"
HONGZE = "淮安市洪泽区人民政府"


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    reports, gold_dir = shared_path("corpus", "reports"), shared_path("gold", "reports")
    out = tmp_path_factory.mktemp("compare-real")
    golds = {json.loads(g.read_text(encoding="utf-8"))["source_file"]: json.loads(g.read_text(encoding="utf-8"))
             for g in sorted(gold_dir.glob("*.json"))}
    records = out / "records.jsonl"
    records.write_text("".join(json.dumps(extract(reports / name, figures=False).to_json(), ensure_ascii=False) + "\n"
                               for name in golds), encoding="utf-8")
    result = run_compare([records], out / "compare", CompareSettings())
    return reports, golds, out / "compare", result


def gold_values(golds, name):
    return golds[name]["values"]


def test_series_csv_against_gold(compared):
    reports, golds, out, _ = compared
    series = pd.read_csv(out / "series.csv", dtype={"value": "Float64"})
    exact = unread = cells = 0
    for name, gold in golds.items():
        cells += len(gold["values"])
        rows = series[series["source"] == str(reports / name)]
        assert set(rows["year"]) == {gold["year"]}, name
        got = rows.set_index("key")
        for key, value in gold["values"].items():
            if key not in got.index:  # a row this report's format does not have: null in gold
                assert value is None, (name, key)
                exact += 1
                continue
            row = got.loc[key]
            if row["value"] is pd.NA and value is not None:
                assert row["status"] == "unread", (name, key)
                unread += 1
            else:
                assert row["value"] is pd.NA if value is None else row["value"] == value, (name, key)
                exact += 1
    pingtan = series[series["agency"] == PINGTAN]
    assert (pingtan["value"].notna().sum(), (pingtan["status"] == "unread").sum()) == (754, 42)
    assert (exact, unread, cells) == (1610, 42, 1652)  # as README's table scores: 42 cells run together


def test_agencies_and_notes(compared):
    _, golds, out, result = compared
    # four bodies, none merged into another; 上海市科委 is printed short and stays as printed
    assert sorted(result.agencies) == sorted([PINGTAN, HONGZE, "沭阳县发展和改革局", "上海市科委"])
    assert sorted(result.agencies[PINGTAN]) == [2019, 2020, 2021, 2022]
    notes = pd.read_csv(out / "notes.csv")
    assert list(zip(notes["kind"], notes["agency"], notes["year"])) == [("format_change", PINGTAN, 2021)]


def test_cross_year_checks_give_the_gold_on_both_sides(compared):
    _, golds, out, _ = compared
    cross = pd.read_csv(out / "crossyear.csv")
    carried = cross[cross["rule"] == "carried_over_cross_year"]
    pairs = [(PINGTAN, y, f"{y}_pingtan.txt", f"{y - 1}_pingtan.txt") for y in (2020, 2021, 2022)]
    pairs.append((HONGZE, 2024, "hongze_2024.pdf", "hongze_2023.pdf"))
    for agency, year, this, last in pairs:
        row = carried[(carried["agency"] == agency) & (carried["year"] == year)].iloc[0]
        assert (row["left"], row["right"]) == (gold_values(golds, this)["requests.carried_over.total"],
                                               gold_values(golds, last)["requests.carried_forward.total"])
    in_force = cross[(cross["agency"] == HONGZE) & (cross["key"] == "proactive.normative_docs.in_force")].iloc[0]
    g24, g23 = gold_values(golds, "hongze_2024.pdf"), gold_values(golds, "hongze_2023.pdf")
    assert (in_force["left"], in_force["right"]) == (
        g24["proactive.normative_docs.in_force"],
        g23["proactive.normative_docs.in_force"] + g24["proactive.normative_docs.issued"]
        - g24["proactive.normative_docs.repealed"])
    assert cross["ok"].all()
