"""One name per agency: normalisation, short names, aliases; every merge listed, doubtful ones not made."""
from __future__ import annotations

import pytest

from extraction.compare.names import AliasError, group_names, normalise, read_aliases, short_for


def test_normalise_spaces_brackets_and_the_government_office():
    assert normalise(" 示例县（开发区） 管委会\u3000") == "示例县(开发区)管委会"
    assert normalise("示例县人民政府办公室") == "示例县人民政府"
    assert normalise("示例县人民政府。") == "示例县人民政府"
    assert normalise("示例县教育局办公室") == "示例县教育局办公室"  # a bureau's office is not the bureau


def test_short_names():
    assert short_for("上海市科委", "上海市科学技术委员会")
    assert short_for("平潭综合实验区管委会", "平潭综合实验区管理委员会")
    assert short_for("洪泽区人民政府", "淮安市洪泽区人民政府")       # without its city
    assert not short_for("示例市教育局", "示例市教育委员会")           # 局 is not 委
    assert not short_for("示例县财政局", "示例县市场监督管理局")
    assert not short_for("示例区人民政府", "示例区人民政府示例街道办事处")
    assert not short_for("示例局", "示例市示例局")                     # too short to trust


def test_merges_are_listed_with_their_reason():
    names = group_names({"上海市科委": {2024}, "上海市科学技术委员会": {2023},
                         " 示例县人民政府办公室": {2020}, "示例县人民政府": {2021}})
    assert names("上海市科委") == "上海市科学技术委员会"
    assert names(" 示例县人民政府办公室") == "示例县人民政府"
    reasons = {m.name: m.reason for m in names.merges}
    assert reasons == {"上海市科委": "short name of 上海市科学技术委员会",
                       " 示例县人民政府办公室": "spaces, punctuation or full-width characters; "
                                                "…人民政府办公室 counted as …人民政府"}


def test_doubtful_short_names_are_kept_apart_and_said():
    # two reports in one year: two bodies (or a report twice) — not merged by the rules
    names = group_names({"示例市教委": {2022}, "示例市教育委员会": {2022, 2023}})
    assert names("示例市教委") == "示例市教委"
    (kept,) = names.kept_apart
    assert (kept.name, kept.agency, kept.reason) == ("示例市教委", "示例市教育委员会", "both have a report for one year")
    # two full names fit
    names = group_names({"示例市科委": {2022}, "示例市科学技术委员会": {2021}, "示例市科学普及委员会": {2021}})
    assert names("示例市科委") == "示例市科委" and "--aliases" in names.kept_apart[0].reason


def test_aliases_file_decides(tmp_path):
    f = tmp_path / "aliases.txt"
    f.write_text("# printed = agency\n示例市科委 = 示例市科学技术委员会\n示例县水务局=示例县水利局  # renamed in 2022\n",
                 encoding="utf-8")
    aliases = read_aliases(f)
    names = group_names({"示例市科委": {2022}, "示例市科学技术委员会": {2021}, "示例市科学普及委员会": {2021},
                         "示例县水务局": {2023}, "示例县水利局": {2022}}, aliases)
    assert names("示例市科委") == "示例市科学技术委员会" and names("示例县水务局") == "示例县水利局"
    assert {m.name: m.reason for m in names.merges}["示例县水务局"] == "--aliases"
    f.write_text("示例市科委 示例市科学技术委员会\n", encoding="utf-8")
    with pytest.raises(AliasError, match=r"aliases.txt:1: expected 'name as printed = agency'"):
        read_aliases(f)
