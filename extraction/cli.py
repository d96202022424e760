"""The `xxgk` command line. Commands are thin: they parse options and call the library."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .readers import SUPPORTED


def iter_inputs(paths) -> list[Path]:
    """Files named, and every supported report file under folders named, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED)
        else:
            out.append(p)
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xxgk")
def main():
    """xxgk: turn 政府信息公开工作年度报告 (government information-disclosure annual reports)
    into checked data.

    Reads TXT (any Chinese encoding), HTML, DOCX, text-layer PDF, Markdown (and DOC/WPS through
    LibreOffice), extracts the three template tables into canonical keys, tags the narrative
    figures, and checks every consistency rule (勾稽关系) without changing a number.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              show_default=True, help="JSON Lines file to write, one record per report ('-' = stdout).")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Figure model folder (default: the shipped model in models/).")
@click.option("--no-figures", is_flag=True, help="Skip the narrative figure model (tables and checks only).")
def extract(paths, output, model_dir, no_figures):
    """Extract reports (files or folders) into records (spec/output.md), one JSON line each.

    Every input gives exactly one line, in the order given; a file that cannot be read gives an
    error record. Exits 0 when every input produced a line.
    """
    from .pipeline import extract as extract_one
    from .record import all_checks

    files = iter_inputs(paths)
    model = None
    if not no_figures:
        from .figures import load_default_model
        model = load_default_model(model_dir)
    n_ok = n_failed_checks = n_errors = 0
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
    try:
        for f in files:
            record = extract_one(f, model=model, figures=not no_figures)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
            if "error" in record:
                n_errors += 1
                click.echo(f"{f}: {record['error']['type']}: {record['error']['message']}", err=True)
            else:
                n_ok += 1
                n_failed_checks += any(c.get("ok") is False for c in all_checks(record))
    finally:
        if out is not sys.stdout:
            out.close()
    click.echo(f"{len(files)} reports: {n_ok} read, {n_failed_checks} failed a check, "
               f"{n_errors} could not be read", err=True)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def text(file):
    """Print the text of FILE that record offsets index (text[start:end] is a value's span)."""
    from .errors import ExtractionError
    from .readers import read
    try:
        doc = read(Path(file))
    except ExtractionError as e:
        raise click.ClickException(f"{e.type}: {e}")
    sys.stdout.write(doc.text)


from .annotate.cli import annotate, models  # noqa: E402  (Label Studio corrections, registry)
main.add_command(annotate)
main.add_command(models)


from .batch.command import batch  # noqa: E402  (issue 5: batch extraction)

main.add_command(batch)

from .review.command import review  # noqa: E402  (issue 7: review and summary pages)

main.add_command(review)

if __name__ == "__main__":
    main()

from training.cli import evaluate, pretrain, train  # noqa: E402  (issue 3: the figure model)
main.add_command(pretrain)
main.add_command(train)
main.add_command(evaluate)
