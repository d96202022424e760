"""One Config reaches every stage: reader settings by reader name, limits, figures; from JSON too."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from extraction import Config, extract
from extraction.cli import main
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
    from pathlib import Path
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
