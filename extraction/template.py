"""The canonical keys of the three template tables (../shared/spec/template.md).

Everything that names a table value — extraction, checks, gold, outputs — uses these keys:
`table.row.column`, e.g. `requests.denied.state_secret.commercial`.
"""
from __future__ import annotations

# Table 2, 2021 format: row key -> its column keys, in print order.
PROACTIVE_2021: dict[str, tuple[str, ...]] = {
    "proactive.rules": ("issued", "repealed", "in_force"),
    "proactive.normative_docs": ("issued", "repealed", "in_force"),
    "proactive.licensing": ("decisions",),
    "proactive.penalty": ("decisions",),
    "proactive.enforcement": ("decisions",),
    "proactive.fees": ("amount_wan_yuan",),
}

# Table 2, 2019 format (also used by some bodies later).
PROACTIVE_2019: dict[str, tuple[str, ...]] = {
    "proactive.rules": ("new_made", "new_published", "total_published"),
    "proactive.normative_docs": ("new_made", "new_published", "total_published"),
    "proactive.licensing": ("prev_items", "change", "decisions"),
    "proactive.other_services": ("prev_items", "change", "decisions"),
    "proactive.penalty": ("prev_items", "change", "decisions"),
    "proactive.enforcement": ("prev_items", "change", "decisions"),
    "proactive.fees": ("prev_items", "change"),
    "proactive.procurement": ("items", "amount"),
}

# Table 3: applicant-type columns, in print order.
REQUEST_COLUMNS: tuple[str, ...] = (
    "natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org",
    "total",
)
APPLICANT_COLUMNS = REQUEST_COLUMNS[:-1]

# Table 3 rows, in print order (2021 format, with the three （六） sub-rows).
REQUEST_ROWS: tuple[str, ...] = (
    "requests.new",
    "requests.carried_over",
    "requests.granted",
    "requests.partially_granted",
    "requests.denied.state_secret",
    "requests.denied.prohibited_by_law",
    "requests.denied.security_stability",
    "requests.denied.third_party_rights",
    "requests.denied.internal_affairs",
    "requests.denied.process_info",
    "requests.denied.enforcement_case_file",
    "requests.denied.administrative_query",
    "requests.unable.not_held",
    "requests.unable.needs_creation",
    "requests.unable.unclear_after_correction",
    "requests.not_processed.petition_complaint",
    "requests.not_processed.duplicate",
    "requests.not_processed.publication",
    "requests.not_processed.excessive",
    "requests.not_processed.confirm_existing",
    "requests.other.overdue_correction",
    "requests.other.overdue_fee",
    "requests.other.other",
    "requests.total",
    "requests.carried_forward",
)
OTHER_SUBROWS = ("requests.other.overdue_correction", "requests.other.overdue_fee",
                 "requests.other.other")
OTHER_SINGLE = "requests.other.total"  # older single （六）其他处理 row

# The outcome rows whose sum is requests.total (rule 3); （六） is either the sub-rows or the single row.
OUTCOME_ROWS: tuple[str, ...] = REQUEST_ROWS[2:20]

# Table 4: groups and their five columns, in print order (15 values).
REVIEW_GROUPS: tuple[str, ...] = ("review", "litigation.direct", "litigation.after_review")
REVIEW_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")

DECIMAL_KEYS = {"proactive.fees.amount_wan_yuan", "proactive.procurement.amount"}


def request_rows(single_other: bool = False) -> tuple[str, ...]:
    """Table 3 rows as a report prints them: with （六） as three sub-rows or as one row."""
    if not single_other:
        return REQUEST_ROWS
    i = REQUEST_ROWS.index(OTHER_SUBROWS[0])
    return REQUEST_ROWS[:i] + (OTHER_SINGLE,) + REQUEST_ROWS[i + len(OTHER_SUBROWS):]


def table2_keys(template: str = "2021") -> list[str]:
    rows = PROACTIVE_2021 if template == "2021" else PROACTIVE_2019
    return [f"{row}.{col}" for row, cols in rows.items() for col in cols]


def table3_keys(single_other: bool = False) -> list[str]:
    return [f"{row}.{col}" for row in request_rows(single_other) for col in REQUEST_COLUMNS]


def table4_keys() -> list[str]:
    return [f"{group}.{col}" for group in REVIEW_GROUPS for col in REVIEW_COLUMNS]


def all_keys(template: str = "2021", single_other: bool = False) -> list[str]:
    """Every key a report of this format has, in print order."""
    return table2_keys(template) + table3_keys(single_other) + table4_keys()
