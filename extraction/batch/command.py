"""`xxgk batch`: the command line of batch extraction; it parses options and calls run_batch."""
from __future__ import annotations

import shlex
from dataclasses import replace
from pathlib import Path

import click
from click.core import ParameterSource

from ..commands import FIELD_ENCODER_UNUSED, field_encoder_option, load_config


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Output folder: records.jsonl, values/figures/checks/errors/duplicates "
                   "as .csv and .parquet, batch.sqlite, summary.html and reviews/.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0 = the machine's cores; at most one per core and what "
                   "available memory holds, with a warning).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a process pool here; dask: a Dask cluster.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Dask scheduler to use (with --engine dask; default: start a LocalCluster). "
                   "Its workers need xxgk installed, nothing else: files here travel with "
                   "their tasks, URLs are read by the workers, the model is sent once.")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Figure model folder (default: the shipped model in models/).")
@click.option("--no-figures", is_flag=True, help="Skip the narrative figure model.")
@click.option("--retry-errors", is_flag=True,
              help="Extract again the reports whose earlier record is an error (e.g. a time limit).")
@click.option("--no-summary", is_flag=True,
              help="Do not write summary.html (it reads every record into memory at once).")
@click.option("--review-pages", type=click.Choice(["none", "listed", "all"]), default="listed",
              show_default=True,
              help="Review pages to write under reviews/: the reports summary.html lists, all, none.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="JSON settings of every stage (extraction/config.py): readers, limits, sections, "
                   "figures, model, tagger, and batch (these options, which win where given).")
@field_encoder_option("In a --config: tagger.field_encoder (this option wins where given).")
@click.pass_context
def batch(ctx, paths, out_dir, jobs, engine, scheduler, model_dir, no_figures, retry_errors,
          no_summary, review_pages, quiet, config_file, field_encoder):
    """Extract every report under PATHS into OUT_DIR, resumably.

    PATHS are files or folders here, or URLs (http(s)://, s3://, gs://, file://, …) of a file,
    a folder (over HTTP: ending in /) or a glob, read where the extraction runs with the
    credentials of its environment.

    Reports already in OUT_DIR/records.jsonl (same sha256) are skipped, so a stopped or killed
    run is finished by running it again. Identical files are extracted once (listed in
    duplicates.csv). Exits 0 when every report produced a record (errors included).
    """
    from pathlib import Path

    from . import run_batch
    from .remote import BadURL, is_url
    from .settings import BatchSettings
    from .run import BatchInterrupted, WorkerStartError
    from .store import BatchLocked

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    for p in paths:
        if not is_url(p) and not Path(p).exists():
            raise click.BadParameter(f"{p!r} does not exist", param_hint="PATHS")
    config = load_config(config_file)
    base = config.batch or BatchSettings()
    base = replace(base, figures=base.figures and config.figures, model_dir=base.model_dir or config.model)
    options = {"jobs": ("jobs", jobs), "engine": ("engine", engine), "scheduler": ("scheduler", scheduler),
               "no_figures": ("figures", not no_figures), "model_dir": ("model_dir", model_dir),
               "quiet": ("progress", not quiet), "retry_errors": ("retry_errors", retry_errors),
               "no_summary": ("summary", not no_summary), "review_pages": ("review_pages", review_pages)}
    try:
        settings = replace(base, **{field: value for name, (field, value) in options.items()
                                    if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE})
    except ValueError as e:  # e.g. a scheduler in the config with --engine local
        raise click.UsageError(str(e))
    if field_encoder and not settings.figures:
        click.echo(FIELD_ENCODER_UNUSED, err=True)
    elif field_encoder:  # the workers take it as they take the config's tagger settings
        from ..figures.model import TaggerSettings
        tagger = replace(config.tagger or TaggerSettings(), field_encoder=field_encoder)
        config = replace(config, tagger=tagger)
    try:
        summary = run_batch(paths, out_dir, settings, config=config,
                            on_note=lambda text: click.echo(f"note: {text}", err=True))
    except (BatchLocked, BadURL) as e:
        raise click.ClickException(str(e))
    except WorkerStartError as e:
        raise click.ClickException(f"the batch workers could not start, nothing was recorded: {e}")
    except BatchInterrupted as e:
        raise click.ClickException(f"the batch stopped: {e}; the records so far are kept, "
                                   "run it again to finish")
    click.echo(summary.line(), err=True)
    out = Path(out_dir)  # the year-over-year view of this batch is one command away (issue 16)
    click.echo(f"year over year: xxgk compare {shlex.quote(str(out / 'records.jsonl'))} "
               f"-o {shlex.quote(str(out / 'compare'))}", err=True)
