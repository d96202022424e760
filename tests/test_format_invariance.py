"""Format invariance: each seed's gold values, printed as a real DOCX, HTML (rowspan/colspan) and
PDF (reportlab, CJK font), extract to the same values from each file.

The gold values are read from ../shared at test time and never copied into the project; the
reports around them (agency, narrative) are invented by extraction/synth.py.
"""
from __future__ import annotations

import json

import pytest

from conftest import shared_path
from extraction.checks import uses_single_other_row
from extraction.pipeline import extract
from extraction.synth import Layout, make_report
from extraction.template import all_keys

SEEDS = ["000_a0bb3611867a5c73", "001_1160e2568716ca2c", "002_34b90e918291ef22",
         "003_066c2f16e81325c2", "004_a45bd972aea0d5d6"]


def gold_values(seed: str) -> tuple[dict, Layout]:
    gold = json.loads(shared_path("gold", "seeds", seed + ".json").read_text(encoding="utf-8"))
    values = gold["values"]
    layout = Layout(table2=gold.get("template", "2021"), single_other=uses_single_other_row(values))
    # Gold lists the other （六） variant's keys as null; a report prints only its own rows.
    printed = {k: values.get(k) for k in all_keys(layout.table2, layout.single_other)}
    return printed, layout


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
@pytest.mark.parametrize("seed", SEEDS)
def test_seed_values_survive_every_format(tmp_path, seed, fmt):
    values, layout = gold_values(seed)
    rep = make_report(tmp_path / seed, seed=1, fmt=fmt, layout=layout, values=values)
    record = extract(rep.path, figures=False)
    assert record.error is None, record.error
    wrong = {k: (record.values.get(k), v) for k, v in values.items() if record.values.get(k) != v}
    assert wrong == {}
    assert record.template == layout.table2
    # The checks see the same numbers, so the same rules fail (seed 000 fails two).
    failed = sorted(c.key for c in record.checks if not c.ok)
    gold = json.loads(shared_path("gold", "seeds", seed + ".json").read_text(encoding="utf-8"))
    assert len(failed) == len(gold["failing_rules"])
