"""`xxgk review`: a report's review page, or a batch's summary page from its records.jsonl."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..commands import field_encoder_option
from ..record import Record
from .names import PAGE_CHOICES


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="HTML file to write (default: FILE's stem + .review.html, which xxgk extract/batch "
                   "never read as a report; or summary.html "
                   "beside FILE with --summary).")
@click.option("--summary", is_flag=True,
              help="FILE is a records.jsonl (from `xxgk extract`/`xxgk batch`): write the batch summary.")
@click.option("--pages", type=click.Choice(PAGE_CHOICES), default="none", show_default=True,
              help="With --summary: review pages to write into reviews/ beside the summary "
                   "(listed = the reports the summary names; each page reads its source again).")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Figure model folder (default: the shipped model in models/).")
@click.option("--no-figures", is_flag=True, help="Skip the narrative figure model.")
@field_encoder_option()
def review(file, output, summary, pages, model_dir, no_figures, field_encoder):
    """Write a self-contained HTML page to review FILE's extraction: the text with its figures
    and table cells marked, the three tables filled in, failed checks and warnings.

    With --summary, FILE is a records.jsonl and the page summarises the batch.
    """
    from ..inputs import refuse_overwrite
    if summary:
        from .summary import write_summary
        out = Path(output) if output else Path(file).with_name("summary.html")
        refuse_overwrite(out, [file])
        records = read_records(Path(file))
        path = write_summary(records, out.parent, name=out.name, pages=pages)
        click.echo(f"{path}: {len(records)} reports", err=True)
        return
    from ..pipeline import extract
    from .page import write_review_page

    out = Path(output) if output else Path(file).with_name(Path(file).stem + ".review.html")
    refuse_overwrite(out, [file])  # before anything is written: the report is not overwritten
    model = None
    if not no_figures:
        from ..figures import load_default_model
        model = load_default_model(model_dir, field_encoder=field_encoder)
    record = extract(file, model=model, figures=not no_figures)
    write_review_page(record, out)  # reads the text again from the source
    failed = len(record.failed_checks())
    state = f"error {record.error.type}" if record.error is not None else f"{failed} failed checks"
    click.echo(f"{out}: {state}", err=True)


def read_records(path: Path) -> list[Record]:
    records = []
    with open(path, encoding="utf-8-sig") as f:  # -sig: a BOM an editor added is not the record
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as e:
                    raise click.ClickException(f"{path}:{n}: not a JSON record ({e.msg})")
                if not isinstance(raw, dict):
                    raise click.ClickException(f"{path}:{n}: not a JSON record (not an object)")
                records.append(Record.from_json(raw))
    return records
