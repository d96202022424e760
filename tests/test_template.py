"""The template written once (extraction/template.py): its rules drive the checks, the table
readers and the generator; its labels the review pages and the generator."""
from __future__ import annotations

import random

import pytest

from extraction import synth
from extraction.checks import run_checks
from extraction.tables import table3, table4
from extraction.template import (OTHER_SINGLE, TABLE3_ROW_LABELS, TABLE4_COLUMN_LABELS, all_keys, positions,
                                 request_rows, rules, short_label, table4_keys)


@pytest.mark.parametrize("single", [False, True])
def test_each_rule_is_one_check_and_generated_reports_keep_them_all(single):
    layout = synth.Layout(single_other=single)
    values = synth.random_values(random.Random(7), layout, blank_rate=0)
    checks = run_checks(values)
    assert [(c["rule"], c["key"]) for c in checks] == [(r.rule, r.key) for r in rules(single)]
    assert all(c["ok"] for c in checks)
    # Every key a rule names is a key of the template.
    assert {k for r in rules(single) for k in r.left + r.right} <= set(all_keys("2021", single))
    # One value off: exactly the rules naming it fail.
    key = "requests.denied.state_secret.commercial" if not single else f"{OTHER_SINGLE}.research"
    values[key] += 1
    failed = {(c["rule"], c["key"]) for c in run_checks(values) if not c["ok"]}
    assert failed == {(r.rule, r.key) for r in rules(single) if key in r.left + r.right}


def test_the_table_readers_test_readings_with_the_templates_rules():
    row_keys = [k for k in all_keys() if k.startswith("requests.new.")]
    assert table3.ROW_RULE == [positions(row_keys, next(r for r in rules() if r.key == "requests.new.*"))]
    assert table3.ROW_RULE == [(6, (0, 1, 2, 3, 4, 5))]
    assert table4.GROUP_RULES == [(4, (0, 1, 2, 3)), (9, (5, 6, 7, 8)), (14, (10, 11, 12, 13))]
    assert table4_keys()[4] == "review.total"


def test_the_generator_prints_the_templates_labels():
    layout = synth.Layout()  # labels whole, headers across
    values = synth.random_values(random.Random(3), layout)
    cells = {c for b in synth.report_blocks(values, layout, "某局", 2023, random.Random(3))[0] if b[0] == "table"
             for row in b[1] for c in row if c}
    assert {TABLE3_ROW_LABELS[r][-1] for r in request_rows(False)} <= cells
    assert set(TABLE4_COLUMN_LABELS) <= cells and "本年收费金额（单位：万元）" in cells


def test_short_labels_drop_numbering_and_notes():
    assert short_label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "部分公开"
    assert short_label("四、结转下年度继续办理") == "结转下年度继续办理"
    assert short_label("（六）其他处理") == "其他处理"
