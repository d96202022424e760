"""`xxgk annotate ...`: correct figures in Label Studio.

Thin: options are parsed here, the work is done by config/tasks/convert/store/client.
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from .client import TOKEN_ENV, URL_ENV


def _server_options(f):
    f = click.option("--token", default=None, envvar=TOKEN_ENV, show_envvar=True,
                     help="API token (never printed).", show_default=False)(f)
    f = click.option("--url", default=None, envvar=URL_ENV, show_envvar=True,
                     help="Label Studio server, e.g. http://127.0.0.1:8080.")(f)
    return f


def _out_option(f):
    return click.option("--out", "out_dir", type=click.Path(file_okay=False), default="annotations",
                        show_default=True, help="Folder of stand-off annotation records.")(f)


@click.group()
def annotate():
    """Correct the figure model's output by hand in Label Studio, and keep the corrections.

    push sends reports with the model's predictions (most uncertain first); pull brings finished
    annotations back as stand-off records in annotations/ for `xxgk train --annotations`.
    """


@annotate.command("config")
def config_cmd():
    """Print the Label Studio labeling config (QTY/ITEM spans, links, a field per QTY)."""
    from .config import labeling_config
    click.echo(labeling_config(), nl=False)


def _tasks(paths, model_dir, limit):
    """Tasks for the reports named, predictions from the model, most uncertain first."""
    from ..inputs import iter_inputs
    from ..figures import load_default_model
    from .tasks import TaskSettings, most_uncertain, tasks_for_files
    model = load_default_model(model_dir)
    settings = TaskSettings(model_version=_model_version(model, model_dir))
    tasks = tasks_for_files(iter_inputs(paths), model, settings,
                            on_error=lambda p, m: click.echo(f"{p}: skipped: {m}", err=True))
    return most_uncertain(tasks, limit), settings.model_version


def _model_version(model, model_dir) -> str:
    if model is None:
        return "rules-only"
    if model_dir:
        return Path(model_dir).resolve().name
    from ..figures import default_model_name
    return default_model_name() or "default"


@annotate.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--project", required=True, help="Project title (created if there is none).")
@_server_options
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Figure model folder (default: the registry's default model).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Push only the N most uncertain new reports.")
def push(paths, project, url, token, model_dir, limit):
    """Send reports (files or folders) to a Label Studio project with the model's predictions.

    One task per report; reports already in the project (same text sha256) are skipped.
    """
    from .client import Client, Connection, LabelStudioError
    from .config import labeling_config
    try:
        client = Client(Connection.from_env(url, token))
        pid, created = client.project(project, labeling_config())
        known = client.task_hashes(pid)
        tasks, version = _tasks(paths, model_dir, None)
        new = [t for t in tasks if t["data"]["sha256"] not in known]
        new = new[:limit] if limit else new
        ids = client.import_tasks(pid, new)
    except LabelStudioError as e:
        raise click.ClickException(str(e))
    click.echo(f"project {project!r} (id {pid}{', created' if created else ''}): pushed "
               f"{len(ids)} reports with predictions of model {version}; "
               f"{len(tasks) - len(new)} already there or over the limit", err=True)


@annotate.command()
@click.option("--project", required=True, help="Project title.")
@_server_options
@_out_option
def pull(project, url, token, out_dir):
    """Bring finished annotations back as stand-off records (newest annotation of a task wins;
    skipped or cancelled tasks are left out)."""
    from .client import Client, Connection, LabelStudioError
    try:
        client = Client(Connection.from_env(url, token))
        pid = client.find_project(project)
        if pid is None:
            raise click.ClickException(f"no project titled {project!r}")
        tasks = client.export(pid)
    except LabelStudioError as e:
        raise click.ClickException(str(e))
    _store(tasks, out_dir, project)


@annotate.command("export-tasks")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="Label Studio import file (JSON) to write.")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Figure model folder (default: the registry's default model).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Write only the N most uncertain reports.")
def export_tasks(paths, output, model_dir, limit):
    """Write a Label Studio import file (tasks with predictions) without a server."""
    tasks, version = _tasks(paths, model_dir, limit)
    Path(output).write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"{len(tasks)} tasks with predictions of model {version} -> {output}", err=True)


@annotate.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--project", default="", help="Project name to note in the records.")
@_out_option
def import_cmd(file, project, out_dir):
    """Read a Label Studio JSON export into stand-off records, as pull does."""
    try:
        tasks = json.loads(Path(file).read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise click.ClickException(f"{file}: not a Label Studio JSON export ({e})")
    if not isinstance(tasks, list):
        raise click.ClickException(f"{file}: not a Label Studio JSON export (a list of tasks)")
    _store(tasks, out_dir, project, where=f"{file}: ")


def _store(tasks: list, out_dir: str, project: str, where: str = "") -> None:
    """`where` ("FILE: ") starts the closing line, which says where the tasks came from."""
    """Keep the annotations that can be read exactly; list every other task with its reason."""
    from .convert import AnnotationProblem, Pulled, export_to_gold
    from .store import check_task, save_records
    pulled = Pulled()
    for n, task in enumerate(tasks):
        try:  # one task at a time: a malformed task is reported, the others are kept
            check_task(task)
            one = export_to_gold([task])
        except (AnnotationProblem, TypeError, KeyError, AttributeError, ValueError) as e:
            tid = task.get("id") if isinstance(task, dict) else None
            pulled.problems.append(f"task {tid if tid is not None else f'#{n + 1}'}: {e}")
            continue
        pulled.docs += one.docs
        pulled.skipped += one.skipped
        pulled.problems += one.problems
    saved = save_records(pulled.docs, out_dir, project, problems=pulled.problems)
    for line in pulled.problems:
        click.echo(f"not used: {line}", err=True)
    click.echo(f"{where}{len(pulled.docs)} annotated reports ({len(saved)} records written to "
               f"{out_dir}/), {len(pulled.skipped)} skipped or cancelled, "
               f"{len(pulled.problems)} with problems", err=True)
