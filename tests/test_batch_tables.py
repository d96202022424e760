"""Records -> tables: the figure-total rule, failed checks, and the three formats agreeing on
numbers (decimals, blanks, flags) — on records written here, so every column is exercised."""
from __future__ import annotations

import json
import sqlite3

import pandas as pd

from extraction.batch.crossyear import cross_year_checks
from extraction.batch.export import export
from extraction.batch.store import RECORDS
from extraction.batch.tables import checks_rows, figure_totals, values_rows
from extraction.record import Figure, Record


def fig(field, value, unit="条", **kw):
    return {"item": "x", "qty": f"{value}{unit}", "value": value, "unit": unit, "approx": False,
            "field": field, "start": 0, "end": 1, "item_start": 0, "item_end": 0, "score": 0.9,
            "by": "model", **kw}


def test_one_figure_is_the_total():
    totals, notes = figure_totals(figures([fig("proactive_total", 4147), fig(None, 3)]))
    assert totals == {"proactive_total": 4147} and notes == []


def test_distinct_figures_of_a_field_are_summed_and_noted():
    totals, notes = figure_totals(figures([fig("trainings", 2, "期"), fig("trainings", 3, "期")]))
    assert totals == {"trainings": 5}
    assert notes == ["trainings: 2 figures, 2 + 3 = 5"]


def test_a_repeated_figure_counts_once_and_is_noted():
    totals, notes = figure_totals(figures([fig("proactive_total", 120), fig("news_updates", 7),
                                           fig("proactive_total", 120)]))
    assert totals == {"proactive_total": 120, "news_updates": 7}
    assert notes == ["proactive_total: 2 figures, 120 = 120 (1 repeated value(s) counted once)"]


def test_different_units_are_not_added():
    totals, notes = figure_totals(figures([fig("trainings", 2, "期"), fig("trainings", 40, "场")]))
    assert "trainings" not in totals
    assert notes and "different units" in notes[0]


def figures(raw: list[dict]) -> list[Figure]:
    return [Figure.from_json(f) for f in raw]


def typed(records: list[dict]) -> list[Record]:
    return [Record.from_json(r) for r in records]


def sample_records() -> list[dict]:
    ok = {
        "source": "in/a-2022.docx", "sha256": "a" * 64, "format": "docx",
        "title": "示例市数据局2022年政府信息公开工作年度报告", "agency": "示例市数据局", "year": 2022,
        "template": "2021",
        "values": {"proactive.fees.amount_wan_yuan": 3388.52, "requests.new.total": 14,
                   "requests.carried_forward.total": 2, "requests.new.research": None,
                   "proactive.rules.in_force": 10},
        "cells": {}, "warnings": ["a warning"],
        "figures": [fig("proactive_total", 4147, approx=True, field_score=0.8731),
                    fig("fees_collected", 0.5, "元")],
        "checks": [{"rule": "balance", "key": "requests.*.total", "ok": False, "left": 14,
                    "right": 13, "detail": "new + carried_over = 14 + 0; ...", "blanks_as_zero": True},
                   {"rule": "row_total", "key": "requests.new.*", "ok": True, "left": 14,
                    "right": 14, "detail": "", "blanks_as_zero": False}],
    }
    later = dict(ok, source="in/a-2023.html", sha256="b" * 64, format="html", year=2023,
                 values={"requests.carried_over.total": 3, "proactive.rules.in_force": 11,
                         "proactive.rules.issued": 2, "proactive.rules.repealed": 1},
                 figures=[], checks=[])
    broken = {"source": "in/broken.pdf", "sha256": "c" * 64,
              "error": {"type": "encrypted_pdf", "message": "the PDF is encrypted"}}
    return [ok, later, broken]


def test_values_row_holds_values_blanks_and_figure_totals():
    rows = values_rows(typed(sample_records()))
    assert len(rows) == 2
    a = rows[0]
    assert a["proactive.fees.amount_wan_yuan"] == 3388.52 and a["requests.new.total"] == 14
    assert a["requests.new.research"] is None and a["proactive.procurement.amount"] is None
    assert a["figures.proactive_total"] == 4147 and a["figures.fees_collected"] == 0.5
    assert a["n_failed_checks"] == 1 and a["n_warnings"] == 1 and a["n_figures"] == 2


def test_checks_rows_are_the_failed_checks_with_cross_year_sources():
    records = sample_records()
    rows = checks_rows(typed(records), cross_year_checks(records))
    assert [(r["scope"], r["rule"]) for r in rows] == [
        ("report", "balance"), ("cross_year", "carried_over_cross_year")]
    cross = rows[1]
    assert (cross["left"], cross["right"]) == (3, 2)
    assert (cross["source"], cross["prev_source"]) == ("in/a-2023.html", "in/a-2022.docx")
    assert (cross["year"], cross["prev_year"]) == (2023, 2022)


def write_records(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_a_value_that_is_not_a_count_is_flagged_not_rounded():
    r = sample_records()[0]
    r = dict(r, values={"requests.new.total": 12.5, "requests.granted.total": 3.0})
    (row,) = values_rows(typed([r]))
    assert row["requests.new.total"] is None and row["requests.granted.total"] == 3
    assert row["value_notes"].startswith("requests.new.total: 12.5 is not a count")


def test_export_in_chunks_equals_export_at_once(tmp_path):
    records = sample_records() * 1  # 3 records, written in chunks of 1 and of 1000
    for name, chunk in (("one", 1), ("all", 1000)):
        (tmp_path / name).mkdir()
        write_records(tmp_path / name / RECORDS, records)
        export(tmp_path / name / RECORDS, tmp_path / name, [], chunk=chunk)
    for table in ("values", "figures", "checks", "errors"):
        assert (tmp_path / "one" / f"{table}.csv").read_bytes() == (tmp_path / "all" / f"{table}.csv").read_bytes()
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "one" / f"{table}.parquet"),
                                      pd.read_parquet(tmp_path / "all" / f"{table}.parquet"))


def test_three_formats_agree_on_numbers(tmp_path):
    records = sample_records()
    write_records(tmp_path / RECORDS, records)
    export(tmp_path / RECORDS, tmp_path, [("in/copy.docx", "a" * 64, "in/a-2022.docx")])
    csv = pd.read_csv(tmp_path / "values.csv")
    parquet = pd.read_parquet(tmp_path / "values.parquet")
    con = sqlite3.connect(tmp_path / "batch.sqlite")
    try:
        sql = pd.read_sql('SELECT * FROM "values"', con)
        figures_sql = pd.read_sql("SELECT * FROM figures", con)
        record_json = con.execute("SELECT record FROM records WHERE year = 2022").fetchone()[0]
    finally:
        con.close()
    for df in (csv, parquet, sql):
        assert df["proactive.fees.amount_wan_yuan"].tolist()[0] == 3388.52
        assert df["requests.new.total"].tolist()[0] == 14
        assert pd.isna(df["requests.new.research"].tolist()[0])  # a blank stays blank, not 0
        assert df["figures.fees_collected"].tolist()[0] == 0.5
        assert df["agency"].tolist() == ["示例市数据局", "示例市数据局"]
    assert str(parquet["requests.new.total"].dtype) == "Int64"
    assert figures_sql["approx"].tolist() == [1, 0]
    assert pd.read_parquet(tmp_path / "figures.parquet")["approx"].tolist() == [True, False]
    # how sure the field classifier was; none where a rule decided the field
    for df in (figures_sql, pd.read_parquet(tmp_path / "figures.parquet"), pd.read_csv(tmp_path / "figures.csv")):
        assert df["field_score"].tolist()[0] == 0.8731 and pd.isna(df["field_score"].tolist()[1])
    assert '"proactive.fees.amount_wan_yuan": 3388.52' in record_json
    assert pd.read_csv(tmp_path / "duplicates.csv")["same_as"].tolist() == ["in/a-2022.docx"]
    assert pd.read_csv(tmp_path / "errors.csv")["type"].tolist() == ["encrypted_pdf"]


def test_a_value_of_the_wrong_type_is_blanked_with_a_warning_not_a_crash(tmp_path):
    import warnings
    records = sample_records()
    records[0] = dict(records[0], year="二〇二二")
    write_records(tmp_path / RECORDS, records)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        export(tmp_path / RECORDS, tmp_path, [])
    assert any("column year" in str(w.message) for w in caught)
    values = pd.read_csv(tmp_path / "values.csv")
    assert pd.isna(values["year"][0]) and values["year"][1] == 2023


def test_a_decimal_that_is_not_a_number_is_blanked_with_a_warning(tmp_path):
    """NaN can come back from records.jsonl (Python's JSON reads it): a blank in every table,
    said, never a NaN that a spreadsheet or a sum would take as a value."""
    import math
    import warnings
    records = sample_records()
    records[0] = dict(records[0], values={**records[0]["values"], "proactive.fees.amount_wan_yuan": math.nan})
    write_records(tmp_path / RECORDS, records)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        export(tmp_path / RECORDS, tmp_path, [])
    assert any("column proactive.fees.amount_wan_yuan" in str(w.message) for w in caught)
    assert pd.isna(pd.read_parquet(tmp_path / "values.parquet")["proactive.fees.amount_wan_yuan"][0])
    assert pd.read_csv(tmp_path / "values.csv", dtype=str, keep_default_na=False)[
        "proactive.fees.amount_wan_yuan"][0] == ""
