"""`xxgk compare` on invented series (extraction.compare.demo): real reports in five formats,
extracted by the real pipeline, compared; series.csv read back against what was printed."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from extraction.compare import CompareSettings, RecordsError, compare, load_records, run_compare
from extraction.compare import demo
from extraction.compare.changes import Thresholds

CANONICAL = {demo.WATER: demo.WATER, "示例市科委": demo.SCIENCE, demo.SCIENCE: demo.SCIENCE,
             "示例镇人民政府办公室": demo.TOWN, demo.TOWN: demo.TOWN}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    d = demo.build(root)
    out = root / "out"
    result = run_compare([d.records, d.repeat], out, CompareSettings())
    return d, out, result


def read(out, name):
    csv = pd.read_csv(out / f"{name}.csv", dtype={"value": "Float64", "prev_value": "Float64",
                                                  "change": "Float64", "year": "Int64", "prev_year": "Int64"})
    return csv


def same(a, b) -> bool:
    if a is None or a is pd.NA or (isinstance(a, float) and math.isnan(a)):
        return b is None or b is pd.NA
    return b is not None and b is not pd.NA and abs(float(a) - float(b)) < 1e-9


def test_series_csv_gives_back_every_printed_value_under_its_agency_and_year(run):
    d, out, _ = run
    series = read(out, "series")
    tables = series[series["kind"] == "table"]
    for rep in d.reports:
        rows = tables[tables["source"] == str(rep.path)]
        title_year = demo.WRONG_TITLE_YEAR.get(rep.path.stem, rep.year)
        assert set(rows["agency"]) == {CANONICAL[rep.agency]} and set(rows["year"]) == {title_year}
        got = dict(zip(rows["key"], rows["value"]))
        assert set(got) == set(rep.values), rep.path.name
        wrong = [k for k, v in rep.values.items() if not same(v, got[k])]
        assert wrong == [], f"{rep.path.name}: {wrong[:5]}"
        blanks = rows[rows["value"].isna()]
        assert set(blanks["status"]) <= {"blank"}  # printed blanks: kept apart from 0, said
        assert {k for k, v in rep.values.items() if v is None} == set(blanks["key"])
    parquet = pd.read_parquet(out / "series.parquet")
    assert len(parquet) == len(series) and str(parquet["value"].dtype) == "Float64"


def test_narrative_figures_join_the_series_apart_from_table_values(run):
    d, out, _ = run
    series = read(out, "series")
    narrative = series[series["kind"] == "narrative"]
    assert set(narrative["key"].str.slice(0, 8)) == {"figures."}
    assert set(narrative["scope"]) == {"narrative"}
    for rep in d.reports:
        printed = {item: value for item, value, _ in rep.figures}
        rows = narrative[narrative["source"] == str(rep.path)].set_index("key")
        assert rows.loc["figures.proactive_total", "value"] == printed["主动公开政府信息"]
        assert rows.loc["figures.proactive_total", "label"] == "narrative figure proactive_total"
        assert rows.loc["figures.proactive_total", "raw"] == f"{printed['主动公开政府信息']}条"


def test_both_template_formats_share_keys_and_mark_the_rest(run):
    _, out, _ = run
    series = read(out, "series").set_index(["source", "key"])
    path = {r.path.stem: str(r.path) for r in run[0].reports}
    water = {y: path[f"water-{y}"] for y in (2019, 2020, 2021)}
    assert series.loc[(water[2019], "proactive.other_services.decisions"), "scope"] == "2019 format only"
    assert series.loc[(water[2021], "proactive.rules.in_force"), "scope"] == "2021 format only"
    assert series.loc[(water[2020], "requests.other.total.total"), "scope"] == "single （六） row only"
    assert series.loc[(water[2021], "requests.other.overdue_fee.total"), "scope"] == "（六） sub-rows only"
    assert series.loc[(water[2020], "proactive.licensing.decisions"), "scope"] == "both formats"
    assert series.loc[(water[2020], "requests.new.total"), "scope"] == "both formats"


def test_what_does_not_fit_is_kept_and_said(run):
    d, out, result = run
    notes = read(out, "notes")
    by_kind = {k: g for k, g in notes.groupby("kind")}
    src = {r.path.stem: str(r.path) for r in d.reports}
    missing = by_kind["missing_years"]
    assert list(missing["agency"]) == [demo.WATER] and "no report for 2022" in missing["detail"].iloc[0]
    several = by_kind["several_reports"].set_index("agency")
    assert several.loc[demo.WATER, "source"] == f"{src['water-2021']} | {src['water-2021-revised']}"
    assert "values differ" in several.loc[demo.WATER, "detail"]
    # the title printing 2022 for the 2023 report: kept under 2022, and the doubt said twice
    conflict = by_kind["year_conflict"]
    assert list(conflict["source"]) == [src["town-2023"]] and list(conflict["year"]) == [2022]
    assert "statistics period starts in 2023, a year with no report" in several.loc[demo.TOWN, "detail"]
    merged = dict(zip(by_kind["name_merged"]["agency"], by_kind["name_merged"]["detail"]))
    assert "'示例市科委': short name of 示例市科学技术委员会" == merged[demo.SCIENCE]
    assert "人民政府办公室 counted as" in merged[demo.TOWN]
    assert list(by_kind["same_file"]["source"]) == [src["water-2019"]]
    assert by_kind["unreadable"]["source"].iloc[0].endswith("broken.txt")
    fmt = by_kind["format_change"]
    assert list(zip(fmt["agency"], fmt["year"])) == [(demo.WATER, 2021)]
    # the repeated file is counted once
    series = read(out, "series")
    assert series[(series["source"] == src["water-2019"]) & (series["key"] == "requests.new.total")].shape[0] == 1


def test_changes_are_exact_and_flagged(run):
    d, out, _ = run
    changes = read(out, "changes")
    truth = {str(r.path): r for r in d.reports}
    t = Thresholds()
    for c in changes[changes["kind"] == "table"].itertuples():
        new, old = truth[c.source].values[c.key], truth[c.prev_source].values[c.key]
        flags = set(str(c.flags).split(";")) if isinstance(c.flags, str) else set()
        assert same(new, c.value) and same(old, c.prev_value)
        if new is None or old is None:
            assert "blank" in flags and c.change is pd.NA
            continue
        assert same(c.change, round(new - old, 6))  # 7.7 - 21.8 gives -14.1
        large = abs(new - old) >= t.min_change and (old == 0 or abs((new - old) / old) >= t.relative)
        assert ("large" in flags) == large, c
    water = changes[changes["agency"] == demo.WATER]
    lic = water[(water["key"] == "proactive.licensing.decisions") & (water["year"] == 2021)]
    assert len(lic) == 2 and all("definition_changed" in f for f in lic["flags"])  # 2019 -> 2021 format
    new_total = water[(water["key"] == "requests.new.total") & (water["year"] == 2021)]
    assert all("definition_changed" not in str(f) for f in new_total["flags"])       # table 3 kept its words
    gap = water[(water["key"] == "requests.new.total") & (water["year"] == 2023)]
    assert list(gap["prev_year"]) == [2021, 2021]  # across the missing 2022, from both 2021 reports
    assert all({"gap", "several_reports"} <= set(f.split(";")) for f in gap["flags"])
    assert len(set(gap["prev_source"])) == 2


def test_cross_year_checks_follow_the_merged_names_with_both_sides(run):
    d, out, _ = run
    cross = read(out, "crossyear")
    by_stem = {r.path.stem: r for r in d.reports}
    row = cross[(cross["agency"] == demo.SCIENCE) & (cross["year"] == 2022)
                & (cross["rule"] == "carried_over_cross_year")].iloc[0]
    left = by_stem["science-2022"].values["requests.carried_over.total"] or 0
    right = by_stem["science-2021"].values["requests.carried_forward.total"] or 0
    assert (row["left"], row["right"], bool(row["ok"])) == (left, right, left == right)
    assert row["source"] == str(by_stem["science-2022"].path)
    assert row["prev_source"] == str(by_stem["science-2021"].path)
    assert not cross[(cross["agency"] == demo.WATER) & (cross["year"] == 2023)].shape[0]  # not across a gap


def test_one_agency_by_any_of_its_names(run):
    d, _, _ = run
    records = load_records([d.records])
    only = compare(records, CompareSettings(agency="示例市科委"))
    assert list(only.agencies) == [demo.SCIENCE] and {r["agency"] for r in only.series} == {demo.SCIENCE}
    assert sorted(only.agencies[demo.SCIENCE]) == [2021, 2022, 2023]
    with pytest.raises(RecordsError, match="no report of an agency named '示例乡'"):
        compare(records, CompareSettings(agency="示例乡"))


def test_figures_of_one_field_are_summed_as_the_batch_does_or_left_blank_and_said():
    from extraction.compare.series import Report, series_rows
    from extraction.record import Record
    record = Record.from_json({"source": "a.txt", "agency": "示例局", "year": 2021, "values": {}, "figures": [
        {"field": "trainings", "value": 2, "unit": "期", "qty": "2期", "start": 1, "end": 3},
        {"field": "trainings", "value": 30, "unit": "次", "qty": "30次", "start": 5, "end": 8},
        {"field": "news_updates", "value": 40, "unit": "条", "qty": "40余条", "approx": True, "start": 9, "end": 13},
        {"field": "news_updates", "value": 12, "unit": "条", "qty": "12条", "start": 20, "end": 23}]})
    rows = {r["key"]: r for r in series_rows(Report(record, "示例局", 2021))}
    trainings, news = rows["figures.trainings"], rows["figures.news_updates"]
    assert (trainings["value"], trainings["status"], trainings["raw"]) == (None, "unread", "2期 + 30次")
    assert trainings["note"] == "trainings: figures in different units (期, 次), left blank"
    assert (news["value"], news["status"], news["where"]) == (52, "approximate", "9-13 20-23")
    assert news["note"] == "news_updates: 2 figures, 40 + 12 = 52"
