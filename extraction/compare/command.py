"""`xxgk compare`: the command line of the year-over-year comparison; it calls run_compare."""
from __future__ import annotations

import click


@click.command()
@click.argument("records", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Output folder: series, changes, crossyear, notes (.csv and .parquet), compare.html.")
@click.option("--agency", default=None, help="Only this agency (any name it is printed under).")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False), default=None,
              help="File of 'name as printed = agency' lines, for names the rules do not merge.")
@click.option("--threshold", type=click.FloatRange(min=0), default=0.5, show_default=True,
              help="A change is large when |change / previous value| reaches this ...")
@click.option("--min-change", type=click.FloatRange(min=0), default=10, show_default=True,
              help="... and |change| reaches this (a change from 0 needs only this).")
@click.option("--write-reviews", is_flag=True,
              help="Write the review pages missing beside the records into OUT/reviews "
                   "(each reads its source file again), so every value links to one.")
def compare(records, out_dir, agency, aliases, threshold, min_change, write_reviews):
    """Compare each agency's reports year over year, from RECORDS (JSON Lines files written by
    `xxgk extract`, or a batch's records.jsonl).

    Reports are grouped by agency (names normalised; short names merged where only one full
    name fits; every merge listed in notes.csv). Two reports for one year, missing years and a
    title year other than the statistics period are kept and said, never merged or dropped.
    """
    from . import CompareSettings, RecordsError, run_compare
    from .changes import Thresholds
    from .names import AliasError, read_aliases

    try:
        settings = CompareSettings(agency=agency, aliases=read_aliases(aliases) if aliases else {},
                                   thresholds=Thresholds(threshold, min_change),
                                   write_reviews=write_reviews, progress=True)
        result = run_compare(records, out_dir, settings)
    except (RecordsError, AliasError, UnicodeDecodeError) as e:  # (a bad record line: ClickException)
        raise click.ClickException(str(e))
    click.echo(f"{out_dir}/compare.html: {result.line()}", err=True)
