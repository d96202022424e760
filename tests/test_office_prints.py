"""Reports as office suites print them: real pages and generated reports through LibreOffice.

Every real HTML report in ../shared/corpus/reports (also with its tables' borders removed) and a
few generated ones are converted with LibreOffice, as a user would, to DOCX, DOC and PDF (printed
from the HTML directly and from the DOCX), once per test session. Read back, each must give the values of the HTML: DOCX and DOC
exactly; a PDF exactly where it printed the cell — a table wider than the page loses its right
columns off the page, and those cells are `not_read` with a warning, never a wrong value and
never a blank — and no check fails that the HTML passes.
"""
from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extraction.pipeline import extract
from extraction.synth import Layout, make_report

from conftest import SHARED

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed here")

# Generated reports: the layouts that stress a print (wide table 3, blanks printed as empty
# cells, vertical headers, the 2019 table 2 with one （六） row, a page-layout table around
# the article with full-width digits: printed, a row of table 3 runs on over a page break).
GENERATED = {
    "gen_plain": (301, Layout()),
    "gen_2019_single": (302, Layout(table2="2019", single_other=True)),
    "gen_vertical_split": (303, Layout(vertical_headers=True, split_labels=True)),
    "gen_empty_blanks": (304, Layout(blank="", thousands=True)),
    "gen_layout_table": (1003, Layout(table2="2019", fullwidth=True, blank="-", encoding="gb18030",
                                      title_style="breadcrumbs", layout_table=True)),
}
# name -> (format, how it was made, from what)
CONVERSIONS = {
    "docx": ("docx:MS Word 2007 XML", "html"),
    "doc": ("doc:MS Word 97", "html"),
    "pdf": ("pdf", "html"),            # printed from the page itself
    "pdf_via_docx": ("pdf", "docx"),   # printed from the DOCX, as Word/WPS users do
}


UNRULED = "_unruled"
NO_BORDER = re.compile(rb"(<table\b[^>]*?)\s+border\s*=\s*[\"']?\d+[\"']?", re.I)


def convert(sources: list[Path], target: str, outdir: Path, profile: Path) -> None:
    """All `sources` in one LibreOffice run (it starts in seconds, converts fast)."""
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                    "--norestore", "--convert-to", target, "--outdir", str(outdir),
                    *map(str, sources)], check=True, timeout=600, capture_output=True)


@pytest.fixture(scope="session")
def prints(tmp_path_factory):
    """{(report name, conversion): path} and {report name: the values the HTML holds}."""
    root = tmp_path_factory.mktemp("office")
    html_dir = root / "html"
    html_dir.mkdir()
    truth = {}
    reports = SHARED / "corpus" / "reports"
    for page in sorted(reports.glob("*.html")) if reports.is_dir() else []:
        shutil.copy(page, html_dir / page.name)
        truth[page.stem] = extract(page, figures=False).values
        # The same page with its tables' borders gone (a site styling them in a stylesheet not
        # saved with the page): printed, its tables have no rules.
        (html_dir / f"{page.stem}{UNRULED}.html").write_bytes(NO_BORDER.sub(rb"\1", page.read_bytes()))
        truth[page.stem + UNRULED] = truth[page.stem]
    for name, (seed, layout) in GENERATED.items():
        rep = make_report(root / "gen" / name, seed=seed, fmt="html", layout=layout)
        shutil.copy(rep.path, html_dir / f"{name}.html")
        truth[name] = rep.values
    htmls = sorted(html_dir.glob("*.html"))
    profile = root / "profile"
    for kind, (target, source) in CONVERSIONS.items():
        sources = htmls if source == "html" else sorted((root / "docx").glob("*.docx"))
        convert(sources, target, root / kind, profile)
    paths = {(p.stem, kind): root / kind / f"{p.stem}.{target.split(':')[0]}"
             for p in htmls for kind, (target, _) in CONVERSIONS.items()}
    return paths, truth


def differences(record, want: dict) -> tuple[list, list]:
    """(wrong, unread): keys read with another value than the HTML's (a blank read where the
    HTML has a number counts as wrong), and keys not read (their cell's status `not_read`)."""
    wrong, unread = [], []
    for key, value in want.items():
        got = record.values.get(key, "absent")
        cell = record.cells.get(key)
        if cell is not None and cell.status == "not_read":
            unread.append(key)
            continue
        same = (got == value if got is None or value is None or got == "absent"
                else math.isclose(float(got), float(value), abs_tol=1e-6))
        if not same:
            wrong.append(f"{key}: read {got!r}, the page has {value!r}")
    return wrong, unread


def warned(key: str, warnings: list[str]) -> bool:
    """Does a warning account for the unread `key`: its row, its table, or a cut table edge?"""
    row = key.rsplit(".", 1)[0]
    table = 4 if key.startswith(("review.", "litigation.")) else 3 if key.startswith("requests.") else 2
    return any(f"row {row} " in w or f"table {table}: left blank" in w
               or "past the page's right edge" in w or "cut at its right edge" in w for w in warnings)


REPORTS = ["shuyang_fgj_2023", "shuyang_fgj_2023" + UNRULED] + list(GENERATED)


@pytest.mark.parametrize("kind", list(CONVERSIONS))
@pytest.mark.parametrize("name", REPORTS)
def test_printed_report_reads_as_the_page(prints, name, kind):
    paths, truth = prints
    if name not in truth:
        pytest.skip(f"needs {SHARED / 'corpus' / 'reports' / (name + '.html')}")
    path = paths[(name, kind)]
    assert path.exists(), f"LibreOffice wrote no {path.name}"
    record = extract(path, figures=False)
    wrong, unread = differences(record, truth[name])
    assert not wrong, f"{len(wrong)} wrong values in {path.name}:\n" + "\n".join(wrong[:10])
    assert not record.failed_checks(), "a check failed the page passes"
    assert (record.coverage.read, record.coverage.expected) == (len(truth[name]) - len(unread), len(truth[name]))
    if kind in ("docx", "doc"):
        assert not unread
    elif unread:
        # Only cells not printed (columns past the page's right edge, or past the edge of the
        # layout-table cell the table is nested in) are lost, and the record says which.
        assert all(warned(key, record.warnings) for key in unread), unread
        needing = [c for c in record.checks if any(k in (c.not_checked or "") for k in unread)]
        assert needing and all(c.ok is None for c in needing)


def test_pdf_printed_from_the_page_loses_only_the_cells_past_the_edge(prints):
    """The real page printed directly: every table cell it prints is read; the three table-4
    cells LibreOffice prints past the page's edge are not read, and their check not checked."""
    paths, truth = prints
    if "shuyang_fgj_2023" not in truth:
        pytest.skip("needs the shared real page shuyang_fgj_2023.html")
    record = extract(paths[("shuyang_fgj_2023", "pdf")], figures=False)
    _, unread = differences(record, truth["shuyang_fgj_2023"])
    assert set(unread) <= {f"litigation.after_review.{c}" for c in ("other", "pending", "total")}
    assert all(k.startswith("litigation.after_review.") for k in unread)
    generated = [n for n in GENERATED if (n, "pdf") in paths]
    for name in generated:  # generated pages fit the page: all read
        record = extract(paths[(name, "pdf")], figures=False)
        assert differences(record, truth[name]) == ([], []), name


def test_real_page_without_borders_printed_reads_its_tables(prints):
    """The real page with its tables' borders gone, printed directly: no rules, blanks printed as
    empty cells, numbers of the narrow 总计 column wrapped ("2" over "6"). The cells are rebuilt
    from the order their text was drawn in, the value columns from the header above them: at
    least three quarters read exactly (13 of 200 and 25 wrong when read as lines of text)."""
    paths, truth = prints
    name = "shuyang_fgj_2023" + UNRULED
    if name not in truth:
        pytest.skip("needs the shared real page shuyang_fgj_2023.html")
    record = extract(paths[(name, "pdf")], figures=False)
    wrong, unread = differences(record, truth[name])
    assert not wrong
    assert len(truth[name]) - len(unread) >= 150
    assert any("wrapped over lines in a narrow column were read whole" in w for w in record.warnings)


def test_table_nested_in_a_layout_cell_is_read_as_far_as_printed(prints):
    """The page-layout table, through DOCX, prints table 3 inside the layout cell, narrower than
    the table: its 总计 column is not printed, its 其他 column spills past the cell ("5" inside,
    "4" of 54 past the rule). Each row is read up to the cut; nothing past it is read."""
    paths, truth = prints
    record = extract(paths[("gen_layout_table", "pdf_via_docx")], figures=False)
    wrong, unread = differences(record, truth["gen_layout_table"])
    assert not wrong
    assert any("cut at its right edge" in w for w in record.warnings)
    assert {k.rsplit(".", 1)[1] for k in unread if k.startswith("requests.")} <= {"other_org", "total"}
    assert all(f"{row}.natural_person" not in unread for row in ("requests.new", "requests.total"))
    assert record.coverage.read >= 150  # of 212; 22 when a spilling table lost every row


# A report written as DOCX by python-docx with a page-layout table around it (seed 609's HTML
# layout), saved as DOC by LibreOffice: read back, its tables have no grid (one paragraph per
# cell, an empty cell gone) and, printed, no rules (numbers wrap in narrow borderless columns).
WORD_REPORT = (609, "html")


@pytest.fixture(scope="module")
def word_saved_as_doc(tmp_path_factory):
    """(the DOC, the PDF printed from it, the values the report holds)."""
    import random

    from extraction.synth import random_layout
    root = tmp_path_factory.mktemp("word_doc")
    seed, layout_of = WORD_REPORT
    rep = make_report(root / "report", seed=seed, fmt="docx",
                      layout=random_layout(random.Random(seed), layout_of))
    profile = root / "profile"
    convert([rep.path], "doc:MS Word 97", root / "doc", profile)
    doc = root / "doc" / "report.doc"
    convert([doc], "pdf", root / "pdf", profile)
    return doc, root / "pdf" / "report.pdf", rep.values


def test_doc_whose_tables_lost_their_grid_completes_no_row(word_saved_as_doc):
    """No grid: a row whose reading needed a rule (a lost cell completed, a run split) is not
    read, warned; every value read is the page's."""
    doc, _, values = word_saved_as_doc
    record = extract(doc, figures=False)
    wrong, unread = differences(record, values)
    assert not wrong, "\n".join(wrong[:10])
    assert unread and all(warned(key, record.warnings) for key in unread)
    assert any("one paragraph per cell" in w for w in record.warnings)
    assert not record.failed_checks()


def test_pdf_printed_from_that_doc_completes_no_row(word_saved_as_doc):
    """The print of that DOC is one line per cell too, no rules: "20" is no run of 2 and 0, a
    lost cell no 0 to fill in. Rows needing a rule are not read, warned."""
    _, pdf, values = word_saved_as_doc
    record = extract(pdf, figures=False)
    wrong, unread = differences(record, values)
    assert not wrong, "\n".join(wrong[:10])
    assert unread and all(warned(key, record.warnings) for key in unread)
    assert not record.failed_checks()


def test_gb18030_page_declaring_gbk_reads_no_stray_digits(tmp_path):
    """LibreOffice decodes such a page's no-break spaces byte by byte ("\\x81 0 \\x84 2"), in
    the DOCX and in its print: read as spaces, not as digits glued before a number (which left
    each such row unreadable here, and read 0 for 6,436 on another page). Printed, a cell's line
    wrap or the page break may cut the four bytes ("118\\x810\\x81" / "2"): joined again, so
    every cell is read (56 were not)."""
    rep = make_report(tmp_path / "page", seed=605, fmt="html")  # GB18030, NBSP around numbers
    assert rep.layout.encoding == "gb18030" and rep.layout.stray_spaces
    profile = tmp_path / "profile"
    convert([rep.path], "docx:MS Word 2007 XML", tmp_path, profile)
    convert([tmp_path / "page.docx"], "pdf", tmp_path / "pdf", profile)
    for path in (tmp_path / "page.docx", tmp_path / "pdf" / "page.pdf"):
        record = extract(path, figures=False)
        wrong, unread = differences(record, rep.values)
        assert not wrong, f"{path.name}: " + "\n".join(wrong[:10])
        assert any("decoded byte by byte" in w for w in record.warnings)
        assert not unread, f"{path.name}: {unread[:5]}"
