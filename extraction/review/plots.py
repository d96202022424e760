"""Static plots for the summary page: matplotlib (Agg, no pyplot state) -> PNG data: URIs.

Labels are ASCII (value keys, field names): a machine without a CJK font would draw Chinese as
empty boxes. The page prints the Chinese wording beside each plot.
"""
from __future__ import annotations

import base64
import io

COLOR = "#3b5bdb"


def bar_chart(labels: list[str], values: list[float], xlabel: str) -> str | None:
    """A horizontal bar chart (first label on top) as a data: URI; None when there is nothing."""
    if not labels or not any(values):
        return None
    from matplotlib.figure import Figure  # imported here: it takes seconds, and `xxgk` loads this module
    fig = Figure(figsize=(5.6, 0.32 * len(labels) + 0.9))
    ax = fig.add_subplot()
    y = list(range(len(labels)))[::-1]
    ax.barh(y, values, color=COLOR)
    ax.set_yticks(y, labels)
    ax.set_xlabel(xlabel)
    for yi, v in zip(y, values):
        ax.text(v, yi, f" {v:g}", va="center", fontsize=8)
    ax.margins(x=0.15)
    return to_data_uri(fig)


def histogram(values: list[float], xlabel: str, bins: int = 20) -> str | None:
    """A histogram of one number across reports; None when no report has it."""
    if not values:
        return None
    from matplotlib.figure import Figure
    fig = Figure(figsize=(5.6, 2.8))
    ax = fig.add_subplot()
    low, high = min(values), max(values)
    if low == high:  # one value: numpy cannot split an empty range, so give the bar a width
        pad = max(0.5, abs(low) * 1e-6)
        low, high = low - pad, high + pad
    ax.hist(values, bins=min(bins, len(set(values))), range=(low, high), color=COLOR)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("reports")
    return to_data_uri(fig)


def to_data_uri(fig) -> str:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=90)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
