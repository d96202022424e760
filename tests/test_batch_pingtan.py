"""Cross-year checks on real reports: pingtan 2019–2022, one agency over four years."""
from __future__ import annotations

import json

import pandas as pd

from conftest import shared_path
from extraction.batch import BatchSettings, run_batch
from extraction.batch.crossyear import cross_year_checks


def record(year, values, agency, template, source):
    return {"source": source, "sha256": f"{year}", "agency": agency, "year": year,
            "template": template, "values": values, "checks": []}


def test_pingtan_2019_to_2022_cross_year_checks_match_the_gold(tmp_path):
    """The real reports of one agency over four years, through the whole batch."""
    reports = shared_path("corpus", "reports")
    gold_dir = shared_path("gold", "reports")
    files = [reports / f"{y}_pingtan.txt" for y in (2019, 2020, 2021, 2022)]
    summary = run_batch(files, tmp_path / "out", BatchSettings(jobs=2, figures=False, progress=False, summary=False))
    assert summary.errors == 0
    records = [json.loads(line) for line in (tmp_path / "out" / "records.jsonl").open(encoding="utf-8")]
    expected = []
    for f in files:
        gold = json.loads((gold_dir / f"{f.stem}.json").read_text(encoding="utf-8"))
        expected.append(record(gold["year"], gold["values"], gold["agency"], gold["template"], str(f)))
    got = [(c["rule"], c["key"], c["year"], c["ok"], c["left"], c["right"]) for c in cross_year_checks(records)]
    want = [(c["rule"], c["key"], c["year"], c["ok"], c["left"], c["right"]) for c in cross_year_checks(expected)]
    assert len(want) == 5 and all(c[3] for c in want)  # 3 carried-over, 2 in-force (2022)
    # Every check the batch made is the gold's; the carried-over chain is complete. (A table-2
    # row the parser leaves blank as ambiguous, like 2021's run "693665", makes no check.)
    assert set(got) <= set(want)
    assert [c for c in got if c[0] == "carried_over_cross_year"] == \
        [c for c in want if c[0] == "carried_over_cross_year"]
    failed = pd.read_csv(tmp_path / "out" / "checks.csv")
    assert not (failed["scope"] == "cross_year").any()


def test_pingtan_ambiguous_in_force_rows_are_ranked_by_the_other_year():
    """2021 prints its 行政规范性文件 row as "693665", 2022 as "8855698": each splits many ways
    and stays unread. Across the two years the in-force rule ranks the gold readings first
    (2022: the only one of 15 that fits) and fills in nothing."""
    from extraction.batch.crossyear import slim
    from extraction.pipeline import extract
    reports = shared_path("corpus", "reports")
    gold = {y: json.loads((shared_path("gold", "reports") / f"{y}_pingtan.json").read_text(encoding="utf-8"))["values"]
            for y in (2021, 2022)}
    records = [extract(reports / f"{y}_pingtan.txt", figures=False) for y in (2021, 2022)]
    (check,) = [c for c in cross_year_checks([slim(r) for r in records])
                if c["key"] == "proactive.normative_docs.in_force"]
    assert check["ok"] is None
    want = {y: [gold[y][f"proactive.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")]
            for y in (2021, 2022)}
    ranked = {r["year"]: r for r in check["ranked"]}
    assert ranked[2022]["fit"] == 1 and ranked[2022]["readings"][0] == want[2022]
    assert want[2021] in ranked[2021]["readings"][:ranked[2021]["fit"]]
    assert all(r.values["proactive.normative_docs.in_force"] is None for r in records)
