"""`xxgk compare` on the command line: offered at the end of `xxgk batch` and run from there,
review pages of the batch linked; user errors in one line, never a traceback."""
from __future__ import annotations

import json
import shlex
import subprocess
import sys

import pandas as pd
from click.testing import CliRunner

from extraction.cli import main
from extraction.synth import Layout, make_report

XXGK = [sys.executable, "-m", "extraction.cli"]


def test_batch_offers_the_comparison_and_it_runs(tmp_path):
    for year in (2021, 2022, 2023):
        make_report(tmp_path / "in" / f"r{year}", seed=year, fmt="txt", layout=Layout(), agency="示例县审计局",
                    year=year)
    out = tmp_path / "out"
    proc = subprocess.run(XXGK + ["batch", str(tmp_path / "in"), "-o", str(out), "-j", "1", "--no-figures",
                                  "--review-pages", "all", "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    offered = [line for line in proc.stderr.splitlines() if line.startswith("year over year: ")]
    assert len(offered) == 1
    command = shlex.split(offered[0].removeprefix("year over year: "))
    assert command[:2] == ["xxgk", "compare"]
    proc = subprocess.run(XXGK + command[1:], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "1 agencies, 3 reports" in proc.stderr
    series = pd.read_csv(out / "compare" / "series.csv")
    # every value links to the page the batch wrote
    assert series["review"].str.startswith("../reviews/").all()
    assert all((out / "compare" / link).is_file() for link in set(series["review"]))


def test_user_errors_are_one_line(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "a.txt"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(main, ["compare", str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1 and "bad.jsonl:2: not a JSON record" in result.output
    assert "Traceback" not in result.output

    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"source": "a.txt", "agency": "示例局", "year": 2022, "values": {}}) + "\n",
                    encoding="utf-8")
    aliases = tmp_path / "aliases.txt"
    aliases.write_text("示例局\n", encoding="utf-8")
    result = runner.invoke(main, ["compare", str(good), "-o", str(tmp_path / "o"), "--aliases", str(aliases)])
    assert result.exit_code == 1 and "aliases.txt:1: expected 'name as printed = agency'" in result.output
    result = runner.invoke(main, ["compare", str(good), "-o", str(tmp_path / "o"), "--agency", "别的局"])
    assert result.exit_code == 1 and "no report of an agency named '别的局'" in result.output
    result = runner.invoke(main, ["compare", str(good), "-o", str(tmp_path / "o"), "--threshold", "-1"])
    assert result.exit_code == 2 and "Traceback" not in result.output

    result = runner.invoke(main, ["compare", str(good), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "1 agencies, 1 reports" in result.output
    assert (tmp_path / "o" / "compare.html").is_file() and (tmp_path / "o" / "changes.parquet").is_file()
