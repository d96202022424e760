"""`xxgk extract` and `xxgk text`: thin commands over the pipeline and the readers."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .figures.embeddings import ENCODERS, INSTALL_HINT

# what a command given --field-encoder and --no-figures says (it runs without the figure model)
FIELD_ENCODER_UNUSED = "note: --field-encoder has no effect without figures (--no-figures)"


def field_encoder_option(more: str = ""):
    """The --field-encoder option of every command that runs the figure model (`more`: what it
    means there)."""
    return click.option(
        "--field-encoder", type=click.Choice(ENCODERS), default=None,
        help="Decide the figures' fields with the model folder's field classifier that also reads "
             "multilingual-e5-small sentence embeddings (field_classifier.e5.json): optional, "
             f"slower; needs {INSTALL_HINT}." + (f" {more}" if more else ""))


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              show_default=True, help="JSON Lines file to write, one record per report ('-' = stdout).")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Figure model folder (default: the shipped model in models/).")
@click.option("--no-figures", is_flag=True, help="Skip the narrative figure model (tables and checks only).")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="JSON settings of every stage (extraction/config.py): readers, limits, sections, "
                   "figures, model, tagger.")
@field_encoder_option("In a --config: tagger.field_encoder.")
def extract(paths, output, model_dir, no_figures, config_file, field_encoder):
    """Extract reports (files or folders) into records (docs/record.md), one JSON line each.

    Every input gives exactly one line, in the order given; a file that cannot be read gives an
    error record. Exits 0 when every input produced a line.
    """
    from .inputs import resolve_inputs
    from .pipeline import extract as extract_one

    config = load_config(config_file)
    no_figures = no_figures or not config.figures

    # before anything is written: an output that is an input is refused; one line per file named
    found = resolve_inputs(paths, outputs=[] if output == "-" else [output], unique=False)
    for note in found.notes():
        click.echo(f"note: {note}", err=True)
    files = found.files
    model = None
    if not no_figures:
        from .figures import load_default_model
        model = load_default_model(model_dir or config.model, config.tagger, field_encoder)
    elif field_encoder:
        click.echo(FIELD_ENCODER_UNUSED, err=True)
    n_ok = n_failed_checks = n_errors = 0
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
    try:
        for f in files:
            record = extract_one(f, model=model, figures=not no_figures, config=config)
            out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
            out.flush()
            if record.error:
                n_errors += 1
                click.echo(f"{record.source}: {record.error.type}: {record.error.message}", err=True)
            else:
                n_ok += 1
                n_failed_checks += any(c.ok is False for c in record.all_checks())
    finally:
        if out is not sys.stdout:
            out.close()
    click.echo(f"{len(files)} reports: {n_ok} read, {n_failed_checks} failed a check, "
               f"{n_errors} could not be read", err=True)


def load_config(config_file: str | None):
    """The Config of a --config file (defaults without one); a bad key or value is one line."""
    from .config import Config
    try:
        return Config.from_file(config_file) if config_file else Config()
    except (ValueError, TypeError) as e:
        raise click.BadParameter(str(e), param_hint="--config")


@click.command()
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
