"""Cross-year checks: one agency's reports in consecutive years, in one batch."""
from __future__ import annotations

import json

from extraction.batch.crossyear import cross_year_checks


def record(year, values, agency="示例县人民政府办公室", template="2021", source=None):
    return {"source": source or f"in/{year}.txt", "sha256": f"{year}", "agency": agency,
            "year": year, "template": template, "values": values, "checks": []}


def by_rule(checks):
    return {(c["rule"], c["key"], c["year"]): c for c in checks}


def test_carried_over_must_equal_last_years_carried_forward():
    checks = by_rule(cross_year_checks([
        record(2021, {"requests.carried_forward.total": 4}),
        record(2022, {"requests.carried_over.total": 4, "requests.carried_forward.total": 1}),
        record(2023, {"requests.carried_over.total": 2}),
    ]))
    ok = checks[("carried_over_cross_year", "requests.carried_over.total", 2022)]
    bad = checks[("carried_over_cross_year", "requests.carried_over.total", 2023)]
    assert ok["ok"] and not ok["blanks_as_zero"]
    assert (bad["ok"], bad["left"], bad["right"]) == (False, 2, 1)
    assert (bad["source"], bad["prev_source"], bad["prev_year"]) == ("in/2023.txt", "in/2022.txt", 2022)
    assert bad["detail"] == "carried_over 2023 = 2; carried_forward 2022 = 1"


def test_in_force_follows_issued_and_repealed_in_the_2021_format():
    prev = {"proactive.rules.in_force": 10, "proactive.normative_docs.in_force": 665}
    cur = {"proactive.rules.issued": 2, "proactive.rules.repealed": 1, "proactive.rules.in_force": 11,
           "proactive.normative_docs.issued": 88, "proactive.normative_docs.repealed": 55,
           "proactive.normative_docs.in_force": 690}
    checks = by_rule(cross_year_checks([record(2021, prev), record(2022, cur)]))
    rules = checks[("in_force_cross_year", "proactive.rules.in_force", 2022)]
    docs = checks[("in_force_cross_year", "proactive.normative_docs.in_force", 2022)]
    assert rules["ok"] and (rules["left"], rules["right"]) == (11, 11)
    assert not docs["ok"] and (docs["left"], docs["right"]) == (690, 698)
    assert docs["detail"] == "in_force 2022 = 690; in_force 2021 + issued 2022 - repealed 2022 = 665 + 88 - 55"


def test_blanks_count_as_zero_and_say_so_and_values_are_untouched():
    cur = {"proactive.rules.in_force": 3, "proactive.rules.issued": 3, "proactive.rules.repealed": None}
    records = [record(2021, {"proactive.rules.in_force": None}), record(2022, cur)]
    snapshot = json.dumps(records, sort_keys=True)
    (check,) = [c for c in cross_year_checks(records) if c["key"] == "proactive.rules.in_force"]
    assert check["ok"] and check["blanks_as_zero"]
    assert json.dumps(records, sort_keys=True) == snapshot


def test_not_checked_across_gaps_agencies_formats_or_without_numbers():
    assert cross_year_checks([record(2020, {"requests.carried_forward.total": 1}),
                              record(2022, {"requests.carried_over.total": 5})]) == []
    assert cross_year_checks([record(2021, {"requests.carried_forward.total": 1}, agency="甲局"),
                              record(2022, {"requests.carried_over.total": 5}, agency="乙局")]) == []
    # 2019 format: no in_force column; no numbers on either side: no check
    checks = cross_year_checks([record(2020, {"proactive.rules.total_published": 9}, template="2019"),
                                record(2021, {"proactive.rules.in_force": 9})])
    assert checks == []
    assert cross_year_checks([{"source": "x", "sha256": None, "error": {"type": "t", "message": "m"}}]) == []


def test_two_reports_for_one_year_are_each_checked_with_both_sources():
    checks = cross_year_checks([
        record(2021, {"requests.carried_forward.total": 1}),
        record(2022, {"requests.carried_over.total": 1}, source="in/2022.pdf"),
        record(2022, {"requests.carried_over.total": 7}, source="in/2022.html"),
    ])
    assert sorted((c["source"], c["ok"]) for c in checks) == [("in/2022.html", False), ("in/2022.pdf", True)]


def test_an_agency_name_shared_by_many_reports_of_a_year_is_not_paired():
    records = [record(2021, {"requests.carried_forward.total": 1}, source=f"in/a{i}.txt") for i in range(3)]
    records.append(record(2022, {"requests.carried_over.total": 5}))
    skipped: list = []
    assert cross_year_checks(records, skipped) == []
    assert skipped == [("示例县人民政府办公室", 2021, 3)]


# --------------------------------------------------------------------------- ambiguous rows ranked

def write_report(folder, year: int, shape: str, docs: list) -> "Path":
    """An invented report for `year` (TXT), its 行政规范性文件 row printed as `docs`; `shape`
    "crawler" runs every cell together (5 13 12 -> "51312"), "tab" keeps them apart."""
    from table_texts import render, table_rows
    path = folder / f"{year}_{shape}.txt"
    text = render(table_rows("2021", values={"proactive.normative_docs": [str(v) for v in docs]}), shape)
    path.write_text(text.replace("2031", str(year)), encoding="utf-8")
    return path


def records_of(*paths):
    from extraction.pipeline import extract
    return [extract(p, figures=False) for p in paths]


def in_force_docs(checks):
    return [c for c in checks if c["key"] == "proactive.normative_docs.in_force"]


def test_previous_year_ranks_an_ambiguous_row_first_and_fills_nothing(tmp_path):
    from extraction.batch.crossyear import slim
    # 2032 prints 5 / 13 / 12 run together as "51312": in force 12 = 20 (2031) + 5 - 13.
    prev, cur = records_of(write_report(tmp_path, 2031, "tab", [4, 0, 20]),
                           write_report(tmp_path, 2032, "crawler", [5, 13, 12]))
    assert prev.values["proactive.normative_docs.in_force"] == 20
    row = cur.readings["proactive.normative_docs"]
    assert row.keys == [f"proactive.normative_docs.{c}" for c in ("issued", "repealed", "in_force")]
    assert [5, 13, 12] in row.values and row.values[0] != [5, 13, 12]  # by digits alone: not first
    assert row.ranked_by == "plausibility, digits"
    snapshot = [r.to_json() for r in (prev, cur)]
    (check,) = in_force_docs(cross_year_checks([slim(prev), slim(cur)]))
    assert check["ok"] is None and check["left"] is None and check["right"] is None
    (ranked,) = check["ranked"]
    assert (ranked["year"], ranked["fit"]) == (2032, 1) and ranked["readings"][0] == [5, 13, 12]
    assert sorted(map(tuple, ranked["readings"])) == sorted(map(tuple, row.values))
    assert "1 fit this rule, ranked first: 5/13/12" in check["not_checked"]
    assert "nothing is filled in" in check["not_checked"]
    assert [r.to_json() for r in (prev, cur)] == snapshot  # the records are untouched
    assert cur.values["proactive.normative_docs.in_force"] is None
    assert cur.cells["proactive.normative_docs.in_force"].status == "not_read"


def test_a_later_year_ranks_the_earlier_ambiguous_row_and_none_fitting_says_so(tmp_path):
    from extraction.batch.crossyear import slim
    # 2031 prints 4/1/20 as "4120" (several readings); 2032 is read: 20 + 5 - 13 = 12.
    prev, cur = records_of(write_report(tmp_path, 2031, "crawler", [4, 1, 20]),
                           write_report(tmp_path, 2032, "tab", [5, 13, 12]))
    (check,) = in_force_docs(cross_year_checks([slim(prev), slim(cur)]))
    (ranked,) = check["ranked"]
    assert ranked["year"] == 2031 and ranked["fit"] >= 1
    assert all(r[2] == 20 for r in ranked["readings"][:ranked["fit"]])
    assert all(r[2] != 20 for r in ranked["readings"][ranked["fit"]:])
    # No reading fits (2032's in force is not 20 + 5 - 13): the order is the record's own.
    cur2 = records_of(write_report(tmp_path, 2032, "tab", [5, 13, 99]))[0]
    (check,) = in_force_docs(cross_year_checks([slim(prev), slim(cur2)]))
    assert check["ok"] is None and check["ranked"][0]["fit"] == 0
    assert check["ranked"][0]["readings"] == prev.readings["proactive.normative_docs"].values
    assert "none fits this rule" in check["not_checked"]


def test_batch_and_compare_show_the_ranking(tmp_path):
    import pandas as pd

    from extraction.batch import BatchSettings, run_batch
    from extraction.compare import run_compare
    files = [write_report(tmp_path, 2031, "tab", [4, 0, 20]), write_report(tmp_path, 2032, "crawler", [5, 13, 12])]
    summary = run_batch(files, tmp_path / "out", BatchSettings(jobs=1, figures=False, progress=False, summary=False))
    assert summary.cross_year_ranked == 1 and summary.cross_year_failed == 0
    assert "1 ambiguous table-2 rows ranked" in summary.line()
    run_compare([tmp_path / "out" / "records.jsonl"], tmp_path / "cmp")
    cross = pd.read_csv(tmp_path / "cmp" / "crossyear.csv")
    row = cross[cross["key"] == "proactive.normative_docs.in_force"].iloc[0]
    assert pd.isna(row["ok"]) and "ranked first: 5/13/12" in row["not_checked"]
    page = (tmp_path / "cmp" / "compare.html").read_text(encoding="utf-8")
    assert "Ambiguous rows ranked by the other year" in page and "5/13/12" in page


def test_a_cell_not_read_is_not_checked_never_counted_as_blank():
    prev = dict(record(2021, {"requests.carried_forward.total": None, "proactive.rules.in_force": 4}),
                unread=["requests.carried_forward.total"])
    cur = dict(record(2022, {"requests.carried_over.total": 3, "proactive.rules.issued": 1,
                             "proactive.rules.repealed": None, "proactive.rules.in_force": None}),
               unread=["proactive.rules.repealed", "proactive.rules.in_force"])
    checks = by_rule(cross_year_checks([prev, cur]))
    carried = checks[("carried_over_cross_year", "requests.carried_over.total", 2022)]
    rules = checks[("in_force_cross_year", "proactive.rules.in_force", 2022)]
    assert carried["ok"] is None and carried["not_checked"] == "not read: requests.carried_forward.total"
    assert rules["ok"] is None and "proactive.rules.in_force" in rules["not_checked"]
