"""Invented report series for the comparison's tests and screenshot: `python -m
extraction.compare.demo OUT_DIR` writes the reports, their records and the comparison.

Everything a real collection throws at `xxgk compare`, with invented agencies and numbers
(extraction.synth): both table-2 formats and both （六） layouts, a missing year, a revised
report (two reports for one year), an agency printed under its full and its short name and
once as its government's office, a title printing last year (the statistics period says
otherwise), a file given twice, and a file that cannot be read.
"""
from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from ..synth import Layout, SynthReport, make_report, random_values
from ..template import OTHER_SINGLE, OTHER_SUBROWS, REQUEST_COLUMNS, table2_keys

WATER = "示例县水利局"
SCIENCE = "示例市科学技术委员会"
TOWN = "示例镇人民政府"

# (file stem, agency, year, format, table-2 format, single （六） row, seed)
REPORTS = [
    ("water-2019", WATER, 2019, "txt", "2019", False, 101),
    ("water-2020", WATER, 2020, "html", "2019", True, 102),
    ("water-2021", WATER, 2021, "docx", "2021", False, 103),
    ("water-2021-revised", WATER, 2021, "txt", "2021", False, 104),   # a revised report
    ("water-2023", WATER, 2023, "md", "2021", False, 105),            # no 2022 report
    ("science-2021", SCIENCE, 2021, "html", "2021", False, 201),
    ("science-2022", SCIENCE, 2022, "txt", "2021", False, 202),
    ("science-2023", SCIENCE, 2023, "md", "2021", False, 203),
    ("town-2021", TOWN, 2021, "txt", "2021", True, 301),
    ("town-2022", TOWN, 2022, "html", "2021", False, 302),
    ("town-2023", TOWN, 2023, "txt", "2021", False, 303),             # its title says 2022
]
PRINTED_AS = {"science-2022": "示例市科委", "town-2021": "示例镇人民政府办公室"}
WRONG_TITLE_YEAR = {"town-2023": 2022}
MISCOUNTED = "town-2022"  # carries over one request more than 2021 carried forward
AGENCY_SEEDS = {WATER: 10, SCIENCE: 20, TOWN: 30}
FIRST_YEAR = 2019
REVISED = "water-2021-revised"
# Where a year's growth goes: granted requests of natural persons (rows 一, （一）, （七）, columns
# 自然人 and 总计 — rules 1–3 still hold), and upheld reviews.
GROWTH = [f"requests.{row}.{col}" for row in ("new", "granted", "total") for col in ("natural_person", "total")]
REVIEW_GROWTH = ["review.upheld", "review.total"]
MISCOUNT = [f"requests.carried_over.{col}" for col in ("natural_person", "total")]


def agency_values(agency: str, year: int, layout: Layout, revised: bool = False,
                  miscounted: bool = False) -> dict:
    """An agency's values for a year, in `layout`: one invented base that grows a little each
    year (table 2 by a tenth, requests by a few, reviews by one every other year; in-force
    documents by what is issued less what is repealed), so that a series looks like one body's.
    What a year carries forward, the next carries over. A revised report has one more granted
    request; a miscounted one carries over one request too many."""
    seed = AGENCY_SEEDS[agency]
    step = year - FIRST_YEAR
    values = random_values(random.Random(seed), Layout())        # tables 3 and 4, sub-rows
    for col in REQUEST_COLUMNS:  # carried over = carried forward, so new = total
        values[f"requests.carried_over.{col}"] = values[f"requests.carried_forward.{col}"]
        values[f"requests.new.{col}"] = values[f"requests.total.{col}"]
    shared = random_values(random.Random(seed + 1), Layout())    # table 2, 2021 format
    table2 = random_values(random.Random(seed + 2), Layout(table2="2019")) if layout.table2 == "2019" else shared
    for key in table2_keys("2021"):
        del values[key]

    def grown(key, s):
        v = shared.get(key, table2[key])
        if key.endswith(".repealed"):  # a quarter of what is issued, so in-force counts stay positive
            v = (grown(key.replace(".repealed", ".issued"), s) or 0) // 4
        return v if v is None else round(v * (1 + s / 10), 2) if isinstance(v, float) else v + s * (abs(v) // 10)

    for key in table2_keys(layout.table2):
        values[key] = grown(key, step)
        if key.endswith(".in_force"):
            row = key.rpartition(".")[0]
            values[key] = (shared[key] or 0) + sum(
                grown(f"{row}.issued", s) - grown(f"{row}.repealed", s) for s in range(1, step + 1))
    grow = {k: step * (3 + seed % 7) + revised for k in GROWTH} | {k: step // 2 for k in REVIEW_GROWTH}
    grow |= {k: int(miscounted) for k in MISCOUNT}
    for key, d in grow.items():
        values[key] = (values[key] or 0) + d if d or values[key] is not None else None
    if layout.single_other:  # the older single （六） row: what the sub-rows add up to
        for col in REQUEST_COLUMNS:
            subs = [values.pop(f"{row}.{col}") for row in OTHER_SUBROWS]
            values[f"{OTHER_SINGLE}.{col}"] = None if all(v is None for v in subs) else sum(v or 0 for v in subs)
    return values


@dataclass
class Demo:
    reports: list[SynthReport]     # what was printed (values, figures, agency, year of the period)
    records: Path                  # records.jsonl of every report, an error record, a repeat
    repeat: Path                   # a second records file holding one of the same reports again


def write_reports(folder: str | Path) -> list[SynthReport]:
    folder = Path(folder)
    out = []
    for stem, agency, year, fmt, table2, single_other, seed in REPORTS:
        layout = Layout(table2=table2, single_other=single_other, title_style="one_line")
        values = agency_values(agency, year, layout, revised=stem == REVISED, miscounted=stem == MISCOUNTED)
        agency = PRINTED_AS.get(stem, agency)
        rep = make_report(folder / stem, seed, fmt, layout, agency, year, values)
        if stem in WRONG_TITLE_YEAR:  # reprint the heading only: the period still says `year`
            text = rep.path.read_text(encoding="utf-8")
            title = f"{agency}{year}年政府信息公开工作年度报告"
            rep.path.write_text(text.replace(title, title.replace(str(year), str(WRONG_TITLE_YEAR[stem])), 1),
                                encoding="utf-8")
        out.append(rep)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02\x03 not a report" * 20)
    return out


def build(folder: str | Path) -> Demo:
    """Write the reports and extract them (narrative figures by the rules: no model needed)."""
    from ..pipeline import extract

    folder = Path(folder)
    reports = write_reports(folder / "reports")
    records = [extract(r.path, model=None) for r in reports] + [extract(folder / "reports" / "broken.txt")]
    path = folder / "records.jsonl"
    path.write_text("".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    repeat = folder / "more-records.jsonl"
    repeat.write_text(json.dumps(records[0].to_json(), ensure_ascii=False) + "\n", encoding="utf-8")
    return Demo(reports, path, repeat)


if __name__ == "__main__":
    from . import CompareSettings, run_compare

    demo = build(sys.argv[1])
    result = run_compare([demo.records, demo.repeat], Path(sys.argv[1]) / "compare",
                         CompareSettings(write_reviews=True))
    print(result.line())
