"""xxgk: government information-disclosure annual reports -> checked data.

    from extraction import extract
    record = extract("report.pdf")   # the record of ../shared/spec/output.md

The pipeline follows the data: read -> document -> sections -> tables / figures -> checks -> record.
"""
from .pipeline import extract, read_document

__all__ = ["extract", "read_document"]
