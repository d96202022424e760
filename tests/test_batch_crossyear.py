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
