"""xxgk: government information-disclosure annual reports -> checked data.

    from extraction import extract
    record = extract("report.pdf")   # a Record (docs/record.md); record.to_json() is its JSON line

The pipeline follows the data: read -> document -> sections -> tables / figures -> checks -> record.
"""
from .config import Config
from .pipeline import extract, read_document

__all__ = ["Config", "extract", "read_document"]
