"""Consistency rules 1–4 (extraction/checks.py) on values we build, and on every gold file."""
from __future__ import annotations

import copy
import json

import pytest

from conftest import shared_path
from extraction.checks import run_checks
from extraction.template import all_keys, table3_keys


def consistent_values(single_other: bool = False) -> dict:
    """A table 3 + table 4 that satisfies every rule: one request per outcome row, per column."""
    values = {k: 0 for k in all_keys("2021", single_other)}
    rows = [k.rsplit(".", 1)[0] for k in table3_keys(single_other)][::7]
    outcome_rows = rows[2:-2]
    for col in ("natural_person", "commercial"):
        for r in outcome_rows:
            values[f"{r}.{col}"] = 1
        values[f"requests.total.{col}"] = len(outcome_rows)
        values[f"requests.carried_forward.{col}"] = 2
        values[f"requests.new.{col}"] = len(outcome_rows) - 1
        values[f"requests.carried_over.{col}"] = 3
    for r in rows:
        values[f"{r}.total"] = values[f"{r}.natural_person"] + values[f"{r}.commercial"]
    values.update({"review.upheld": 2, "review.corrected": 1, "review.total": 3})
    return values


def failed(checks):
    return [(c["rule"], c["key"]) for c in checks if not c["ok"]]


@pytest.mark.parametrize("single_other", [False, True])
def test_consistent_values_pass_every_rule(single_other):
    checks = run_checks(consistent_values(single_other), "2021")
    assert failed(checks) == []
    rules = [c["rule"] for c in checks]
    n_rows = 25 if not single_other else 23
    assert rules.count("balance") == 7 and rules.count("outcome_sum") == 7
    assert rules.count("row_total") == n_rows and rules.count("review_total") == 3


def test_each_rule_reports_both_sides():
    v = consistent_values()
    v["requests.new.natural_person"] += 1          # breaks rule 1 (column) and rule 2 (row new)
    v["requests.denied.state_secret.total"] = 99  # breaks rule 2 (row) and rule 3 (column total)
    v["litigation.direct.total"] = 4               # breaks rule 4
    checks = run_checks(v, "2021")
    assert sorted(failed(checks)) == sorted([
        ("balance", "requests.*.natural_person"),
        ("row_total", "requests.new.*"),
        ("row_total", "requests.denied.state_secret.*"),
        ("outcome_sum", "requests.total.total"),
        ("review_total", "litigation.direct.*"),
    ])
    bal = next(c for c in checks if c["key"] == "requests.*.natural_person")
    assert (bal["left"], bal["right"]) == (24, 23)
    assert bal["detail"] == "new + carried_over = 21 + 3; total + carried_forward = 21 + 2"
    assert bal["blanks_as_zero"] is False
    lit = next(c for c in checks if c["key"] == "litigation.direct.*")
    assert (lit["left"], lit["right"]) == (4, 0)


def test_blank_counts_as_zero_and_is_said_but_never_changed():
    v = consistent_values()
    v["requests.carried_forward.total"] = None
    v["requests.granted.research"] = None
    before = copy.deepcopy(v)
    checks = run_checks(v, "2021")
    assert v == before
    bal = next(c for c in checks if c["key"] == "requests.*.total")
    assert bal["ok"] is False and bal["blanks_as_zero"] is True
    assert bal["detail"].endswith("total + carried_forward = 42 + blank")
    row = next(c for c in checks if c["key"] == "requests.granted.*")
    assert row["ok"] is True and row["blanks_as_zero"] is True


def test_missing_tables_are_not_checked():
    only_table4 = {"review.upheld": 1, "review.total": 1}
    checks = run_checks(only_table4, None)
    assert [c["rule"] for c in checks] == ["review_total"]
    # A column printed blank in every row (e.g. the 法人 columns left empty) has nothing to check.
    v = consistent_values()
    for k in v:
        if k.endswith(".legal_services"):
            v[k] = None
    keys = [c["key"] for c in run_checks(v, "2021")]
    assert "requests.*.legal_services" not in keys and "requests.total.legal_services" not in keys


def test_single_other_row_is_used_when_it_carries_the_numbers():
    # Older single （六）其他处理 row; the sub-row keys are present but null, as in gold files.
    v = consistent_values(single_other=True)
    for sub in ("overdue_correction", "overdue_fee", "other"):
        for col in ("natural_person", "total"):
            v[f"requests.other.{sub}.{col}"] = None
    v["requests.other.total.natural_person"] += 5
    out = failed(run_checks(v, "2021"))
    assert ("outcome_sum", "requests.total.natural_person") in out
    assert ("row_total", "requests.other.total.*") in out


def _gold_files():
    return sorted(shared_path("gold", "seeds").glob("*.json")) + \
        sorted(shared_path("gold", "reports").glob("*.json"))


def test_failed_check_counts_match_every_gold_file():
    mismatches = []
    for path in _gold_files():
        gold = json.loads(path.read_text(encoding="utf-8"))
        checks = run_checks(gold["values"], gold.get("template", "2021"))
        n_failed = sum(not c["ok"] for c in checks)
        if n_failed != len(gold["failing_rules"]):
            mismatches.append((path.name, n_failed, gold["failing_rules"]))
    assert mismatches == []


def test_seed_000_fails_exactly_its_two_rules():
    gold = json.loads(shared_path("gold", "seeds", "000_a0bb3611867a5c73.json").read_text("utf-8"))
    checks = run_checks(gold["values"], "2021")
    assert sorted(failed(checks)) == [("balance", "requests.*.natural_person"),
                                      ("row_total", "requests.new.*")]


def test_a_check_needing_a_cell_not_read_is_not_checked_never_failed_or_passed():
    v = consistent_values(False)
    v["requests.new.total"] = None          # lost: the printed report has a number there
    checks = run_checks(v, "2021", unread={"requests.new.total"})
    row = next(c for c in checks if c["key"] == "requests.new.*")
    assert row["ok"] is None and "requests.new.total" in row["not_checked"]
    assert row["left"] is None and row["right"] is None
    bal = next(c for c in checks if c["key"] == "requests.*.total")
    assert bal["ok"] is None
    # The same blank printed as a blank fails both rules.
    printed = run_checks(v, "2021")
    assert {c["key"] for c in printed if c["ok"] is False} >= {"requests.new.*", "requests.*.total"}
    # A row wholly unread is still listed, as not checked.
    v2 = consistent_values(False)
    keys = [k for k in v2 if k.startswith("requests.new.")]
    for k in keys:
        v2[k] = None
    assert next(c for c in run_checks(v2, "2021", unread=set(keys)) if c["key"] == "requests.new.*")["ok"] is None
