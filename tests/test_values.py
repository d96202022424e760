"""Cell text -> value, and text -> value atoms (extraction/tables/values.py)."""
from __future__ import annotations

import pytest

from extraction.tables.values import BLANK, EMPTY, NUM, TEXT, atoms, parse_value


@pytest.mark.parametrize("raw, value", [
    ("12", 12), ("12 ", 12), (" 0", 0), ("\u00a00", 0), ("0\u00a0", 0),
    ("１２", 12), ("３３８８．５２", 3388.52),
    ("1,234", 1234), ("12,345,678", 12345678), ("1，234", 1234),
    ("3388.52", 3388.52), ("0.00", 0.0), ("75394432.52元", 75394432.52), ("7.5 万元", 7.5),
    ("-18", -18), ("－15", -15),
])
def test_numbers(raw, value):
    got = parse_value(raw)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("raw", ["", "  ", "—", "——", "-", "－", "/", "／", "无", "\u00a0", None])
def test_blanks_are_none_not_zero(raw):
    assert parse_value(raw) is None


@pytest.mark.parametrize("raw", ["规章", "12a", "1.2.3", "约12"])
def test_text_is_not_a_value(raw):
    with pytest.raises(ValueError):
        parse_value(raw)


def kinds(text):
    return [(a.kind, a.text) for a in atoms(text, 100)]


def test_atoms_keep_offsets():
    got = atoms("规章\t12 \t３", 100)
    assert [(a.kind, a.text, a.start, a.end) for a in got] == [
        (TEXT, "规章", 100, 102), (NUM, "12", 103, 105), (NUM, "3", 107, 108)]


def test_label_numbering_is_text_not_a_value():
    # "2." starts the next label: the digits before it are the previous row's run.
    assert kinds("00000002.其他法律行政法规禁止公开") == [(NUM, "0000000"), (TEXT, "2.其他法律行政法规禁止公开")]
    assert kinds("（1）属于国家秘密 3") == [(TEXT, "（1）属于国家秘密"), (NUM, "3")]
    assert kinds("3、危及") == [(TEXT, "3、危及")]


def test_decimals_units_and_signs_stay_one_atom():
    assert kinds("行政事业性收费3388.52") == [(TEXT, "行政事业性收费"), (NUM, "3388.52")]
    assert kinds("采购13575.5元三、") == [(TEXT, "采购"), (NUM, "13575.5元"), (TEXT, "三、")]
    assert kinds("2648-18538") == [(NUM, "2648"), (NUM, "-18538")]


def test_blank_marks_only_standing_alone():
    assert kinds("— / 无 -") == [(BLANK, "—"), (BLANK, "/"), (BLANK, "无"), (BLANK, "-")]
    assert kinds("无法提供") == [(TEXT, "无法提供")]
    assert kinds("4.无") == [(TEXT, "4.无")]            # a label's first line, not a blank
    assert kinds("   ")[0][0] == EMPTY


def test_numbers_glued_to_count_words_or_dates_are_prose():
    assert kinds("2022年处理决定数量450项") == [(TEXT, "2022年处理决定数量450项")]
    assert kinds("共收到8份申请，3.5件") == [(TEXT, "共收到8份申请,3.5件")]  # text normalised
    assert kinds("采购13575.5元") == [(TEXT, "采购"), (NUM, "13575.5元")]
