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
import sys
from dataclasses import dataclass
from pathlib import Path

from ..synth import Layout, SynthReport, make_report

WATER = "示例县水利局"
SCIENCE = "示例市科学技术委员会"
TOWN = "示例镇人民政府"

# (file stem, agency as printed, year, format, table-2 format, single （六） row, seed)
REPORTS = [
    ("water-2019", WATER, 2019, "txt", "2019", False, 101),
    ("water-2020", WATER, 2020, "html", "2019", True, 102),
    ("water-2021", WATER, 2021, "docx", "2021", False, 103),
    ("water-2021-revised", WATER, 2021, "txt", "2021", False, 104),   # a revised report
    ("water-2023", WATER, 2023, "md", "2021", False, 105),            # no 2022 report
    ("science-2021", SCIENCE, 2021, "html", "2021", False, 201),
    ("science-2022", "示例市科委", 2022, "txt", "2021", False, 202),   # the short name
    ("science-2023", SCIENCE, 2023, "md", "2021", False, 203),
    ("town-2021", "示例镇人民政府办公室", 2021, "txt", "2021", True, 301),
    ("town-2022", TOWN, 2022, "html", "2021", False, 302),
    ("town-2023", TOWN, 2023, "txt", "2021", False, 303),             # its title says 2022
]
WRONG_TITLE_YEAR = {"town-2023": 2022}


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
        rep = make_report(folder / stem, seed, fmt, layout, agency, year)
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
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    repeat = folder / "more-records.jsonl"
    repeat.write_text(json.dumps(records[0], ensure_ascii=False) + "\n", encoding="utf-8")
    return Demo(reports, path, repeat)


if __name__ == "__main__":
    from . import CompareSettings, run_compare

    demo = build(sys.argv[1])
    result = run_compare([demo.records, demo.repeat], Path(sys.argv[1]) / "compare",
                         CompareSettings(write_reviews=True))
    print(result.line())
