"""Short Chinese labels of value keys, for hover texts and lists; the printed labels themselves
(and the keys) are `extraction.template`'s."""
from __future__ import annotations

from ..template import (REQUEST_COLUMNS, REVIEW_COLUMNS, TABLE3_ROW_LABELS, TABLE4_COLUMN_LABELS,
                        TABLE4_GROUP_LABELS, request_column_label, table2_layout)


def key_label(key: str, formats: tuple[str, ...] = ("2021", "2019")) -> str:
    """A short Chinese label for a value key, for hover texts and lists (e.g. 一、本年新收… · 自然人).

    A table-2 key is labelled as printed by the first of `formats` that has it."""
    row, _, col = key.rpartition(".")
    if row in TABLE3_ROW_LABELS and col in REQUEST_COLUMNS:
        return f"{TABLE3_ROW_LABELS[row][-1]} · {request_column_label(col)}"
    if row in TABLE4_GROUP_LABELS and col in REVIEW_COLUMNS:
        return f"{TABLE4_GROUP_LABELS[row]} · {TABLE4_COLUMN_LABELS[REVIEW_COLUMNS.index(col)]}"
    for groups, rows in map(table2_layout, formats):
        for _, col_labels, members in groups:
            for label, row_key in members:
                if row_key == row and col in rows.get(row_key, ()):
                    return f"{label} · {col_labels[1 + rows[row_key].index(col)]}"
    return key
