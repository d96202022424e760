"""One Config reaches every stage: reader settings by reader name, limits, sections, figures,
the tagger, the batch (and its workers); from JSON and the CLI too."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extraction import Config, extract
from extraction.cli import main
from extraction.figures import default_model_dir
from extraction.limits import Limits
from extraction.readers.markdown import MarkdownSettings

# Invented text; the converter's wrapped lines, each about as long as the others.
WRAPPED = ("# 白水镇人民政府2024年政府信息公开工作年度报告\n\n"
           "本年度本机关坚持以公开为常态不公开为例外全年主动公开政府信息\n"
           "共计八十条其中政策文件十件均已按时发布并接受社会监督确保公开\n"
           "内容准确。\n")


def test_reader_settings_reach_the_reader_by_name(tmp_path):
    md = tmp_path / "r.md"
    md.write_text(WRAPPED, encoding="utf-8")
    joined = extract(md, config=Config(figures=False))
    kept = extract(md, config=Config(readers={"md": MarkdownSettings(join_wrapped_lines=False)}, figures=False))
    assert joined.error is None and kept.error is None
    from extraction.readers import read
    assert "政府信息共计" in read(md).text
    assert "政府信息\n共计" in read(md, settings={"md": MarkdownSettings(join_wrapped_lines=False)}).text


def test_limits_and_figures_come_from_the_config():
    pdf = Path(__file__).resolve().parent.parent / "extraction" / "samples" / "baishi-2019.pdf"
    assert extract(pdf, config=Config(limits=Limits(max_pages=1))).error.type == "too_many_pages"
    record = extract(pdf, config=Config(figures=False))
    assert record.error is None and not record.figures


def test_cli_config_file_and_its_errors(tmp_path):
    md = tmp_path / "r.md"
    md.write_text(WRAPPED, encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"readers": {"md": {"join_wrapped_lines": False}}, "figures": False}))
    r = CliRunner().invoke(main, ["extract", str(md), "--config", str(good)])
    assert r.exit_code == 0 and json.loads(r.stdout.splitlines()[0])["figures"] == []
    for bad, said in [({"readers": {"txt": {}}}, "no reader 'txt'"), ({"colour": 1}, "unknown config keys"),
                      ({"limits": {"max_pages": 0}}, "max_pages")]:
        f = tmp_path / "bad.json"
        f.write_text(json.dumps(bad))
        r = CliRunner().invoke(main, ["extract", str(md), "--config", str(f)])
        assert r.exit_code == 2 and said in r.output and "Traceback" not in r.output


def test_config_from_json_builds_each_readers_dataclass():
    c = Config.from_json({"readers": {"md": {"wrap_share": 0.9}}, "limits": {"max_pages": 5}})
    assert c.readers["md"] == MarkdownSettings(wrap_share=0.9) and c.limits.max_pages == 5
    with pytest.raises(TypeError):
        Config.from_json({"readers": {"md": {"no_such_setting": 1}}})


# Invented: section 二's heading is an unnumbered line of 10 characters, and under it a line
# that is no sentence (so no narrative there, when the heading is found).
HEADINGS = ("某某局2023年政府信息公开工作年度报告\n总体情况\n本局全年主动公开政府信息1526条，其中政策解读18篇。\n"
            "主动公开政府信息情况\n召开新闻发布会3场\n")
SHORT_HEADINGS = {"sections": {"max_heading_line": 4}}
SAMPLE = Path(__file__).resolve().parent.parent / "extraction" / "samples" / "qingchuan-2023.txt"
NARROW = {"tagger": {"window": 8, "stride": 8}}  # the model sees 8 characters at a time


def figure_values(record) -> list:
    return [f.value for f in record.figures]


def test_section_settings_reach_the_section_finder(tmp_path):
    from extraction.sections import SectionSettings
    txt = tmp_path / "r.txt"
    txt.write_text(HEADINGS, encoding="utf-8")
    # By default "主动公开政府信息情况" heads section 二, whose non-sentence lines are no narrative.
    assert figure_values(extract(txt)) == [1526, 18]
    # Headings of at most 4 characters: that line is no heading, so 3场 is narrative.
    short = Config(sections=SectionSettings(max_heading_line=4))
    assert figure_values(extract(txt, config=short)) == [1526, 18, 3]
    assert Config.from_json(SHORT_HEADINGS).sections == SectionSettings(max_heading_line=4)


def scores(record) -> list:
    return [(f.qty, f.score) for f in record.figures]


def test_tagger_settings_reach_the_model_from_the_config_and_the_cli(tmp_path):
    from extraction.figures.model import TaggerSettings
    model = str(default_model_dir())
    narrow = TaggerSettings(window=8, stride=8)
    wide = extract(SAMPLE, config=Config(model=model))
    seen = extract(SAMPLE, config=Config(model=model, tagger=narrow))
    # The same quantities, read with other context: other scores.
    assert [q for q, _ in scores(seen)] == [q for q, _ in scores(wide)] and scores(seen) != scores(wide)
    f = tmp_path / "narrow.json"
    f.write_text(json.dumps(NARROW))
    r = CliRunner().invoke(main, ["extract", str(SAMPLE), "--config", str(f)])
    assert r.exit_code == 0, r.output
    assert [(g["qty"], g["score"]) for g in json.loads(r.stdout.splitlines()[0])["figures"]] == scores(seen)


def test_batch_extracts_with_the_configs_settings_and_takes_its_batch_settings(tmp_path):
    txt = tmp_path / "in" / "r.txt"
    txt.parent.mkdir()
    txt.write_text(HEADINGS, encoding="utf-8")
    f = tmp_path / "c.json"
    f.write_text(json.dumps({**SHORT_HEADINGS, **NARROW,
                             "batch": {"jobs": 1, "summary": False, "review_pages": "none"}}))
    r = CliRunner().invoke(main, ["batch", str(txt.parent), "-o", str(tmp_path / "out"), "--config", str(f),
                                  "--quiet"])
    assert r.exit_code == 0, r.output
    (line,) = (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    from extraction.record import Record
    in_batch = Record.from_json(json.loads(line))
    # Exactly what extract gives with the same config: sections and tagger reached the worker.
    alone = extract(txt, config=Config.from_json({**SHORT_HEADINGS, **NARROW, "model": str(default_model_dir())}))
    assert 3 in figure_values(in_batch) and scores(in_batch) == scores(alone)
    assert not (tmp_path / "out" / "summary.html").exists()  # config.batch: no summary
    # An option given on the command line wins over config.batch.
    r = CliRunner().invoke(main, ["batch", str(txt.parent), "-o", str(tmp_path / "out2"), "--config", str(f),
                                  "--quiet", "--review-pages", "none", "--no-figures", "-j", "1"])
    assert r.exit_code == 0, r.output
    assert not (tmp_path / "out2" / "summary.html").exists()
    assert json.loads((tmp_path / "out2" / "records.jsonl").read_text(encoding="utf-8"))["figures"] == []
