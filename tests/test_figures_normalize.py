import pytest

from extraction.figures.normalize import chinese_to_int, normalize


@pytest.mark.parametrize("qty, before, after, expected", [
    ("4147余条", "共", "", (4147, "条", True)),
    ("456条", "", "", (456, "条", False)),
    ("两期", "举办培训", "", (2, "期", False)),
    ("千余条", "", "", (1000, "条", True)),
    ("十二件", "", "", (12, "件", False)),
    ("一百零五个", "", "", (105, "个", False)),
    ("1.2万条", "", "", (12000, "条", False)),
    ("3388.52万元", "", "", (33885200, "元", False)),
    ("3200万余次", "", "", (32000000, "次", True)),
    ("150余万次", "", "", (1500000, "次", True)),
    ("100%", "", "", (100, "%", False)),
    ("70%", "", "以上。", (70, "%", True)),
    ("980862次", "浏览量约为", "", (980862, "次", True)),
    ("7万户", "总量突破", "", (70000, "户", True)),
    ("151%", "增长了近", "", (151, "%", True)),
    ("80.5万人次", "超", "", (805000, "人次", True)),
    ("1至2名", "配备", "", (1, "名", True)),
    ("6100余篇次", "", "", (6100, "篇次", True)),
    ("12大类别", "", "", (12, "类别", False)),
    ("1853篇(条)", "", "", (1853, "篇", False)),
    ("1386)条", "(", "", (1386, "条", False)),
    ("43 条", "", "", (43, "条", False)),
    ("300 余条", "", "", (300, "条", True)),
    ("12,057件", "", "", (12057, "件", False)),
    ("5万元", "节约", "", (50000, "元", False)),
    ("2千万人次", "超过", "", (20_000_000, "人次", True)),
    ("1.5千万元", "", "", (15_000_000, "元", False)),
    ("3千余条", "", "", (3000, "条", True)),
    ("万份", "近", "", (10_000, "份", True)),
    ("万余人", "", "", (10_000, "人", True)),
    ("2千米", "", "", (2, "千米", False)),
])
def test_normalize(qty, before, after, expected):
    q = normalize(qty, before, after)
    assert (q.value, q.unit, q.approx) == expected


def test_chinese_numerals():
    assert [chinese_to_int(s) for s in ("十", "十二", "二十", "一百零五", "两", "百", "三千零二")] == \
        [10, 12, 20, 105, 2, 100, 3002]


def test_not_a_quantity():
    with pytest.raises(ValueError):
        normalize("条例")
    with pytest.raises(ValueError):
        normalize("万")  # a multiplier alone counts nothing
