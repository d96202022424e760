"""`xxgk annotate ...`: correct figures in Label Studio.

Thin: options are parsed here, the work is done by config/tasks/convert/store/client.
"""
from __future__ import annotations

import json
import signal
from pathlib import Path

import click

from ..cli import LazyGroup
from ..commands import field_encoder_option
from .client import TOKEN_ENV, URL_ENV

# What --field-encoder means for the predictions of push, export-tasks and serve.
PREDICTIONS_WITH_ENCODER = "The predictions carry its fields; their model version ends in +e5."


def server_options(f):
    f = click.option("--token", default=None, envvar=TOKEN_ENV, show_envvar=True,
                     help="API token (never printed).", show_default=False)(f)
    f = click.option("--url", default=None, envvar=URL_ENV, show_envvar=True,
                     help="Label Studio server, e.g. http://127.0.0.1:8080.")(f)
    return f


def _out_option(f):
    return click.option("--out", "out_dir", type=click.Path(file_okay=False), default="annotations",
                        show_default=True, help="Folder of stand-off annotation records.")(f)


@click.group(cls=LazyGroup, lazy_commands={"serve": "training.serve:serve"})
def annotate():
    """Correct the figure model's output by hand in Label Studio, and keep the corrections.

    setup starts a local Label Studio; push sends reports with the model's predictions (most
    uncertain first); pull brings finished annotations back as stand-off records in annotations/
    for `xxgk train --annotations`; serve is the ML backend Label Studio connects to.
    """


@annotate.command("config")
def config_cmd():
    """Print the Label Studio labeling config (QTY/ITEM spans, links, a field per QTY)."""
    from .config import labeling_config
    click.echo(labeling_config(), nl=False)


def _tasks(paths, model_dir, limit, field_encoder, known=frozenset()):
    """(tasks for the reports named whose text is not `known`, most uncertain first; how many
    were known; the model version). The model is loaded only when there is something new."""
    from ..figures import load_default_model
    from ..inputs import iter_inputs
    from .convert import sha256_text
    from .tasks import TaskSettings, model_version, most_uncertain, read_reports, tasks_for_docs
    files = list(iter_inputs(paths))
    click.echo(f"reading {len(files)} reports…", err=True)
    docs = read_reports(files, on_error=lambda p, m: click.echo(f"{p}: skipped: {m}", err=True))
    new = [d for d in docs if sha256_text(d.text) not in known]
    if not new:
        return [], len(docs), "(not run)"
    model = load_default_model(model_dir, field_encoder=field_encoder)
    settings = TaskSettings(model_version=model_version(_model_name(model, model_dir), field_encoder))
    click.echo(f"tagging {len(new)} new reports with model {settings.model_version}…", err=True)
    return most_uncertain(tasks_for_docs(new, model, settings), limit), len(docs) - len(new), \
        settings.model_version


def _model_name(model, model_dir) -> str:
    if model is None:
        return "rules-only"
    if model_dir:
        return Path(model_dir).resolve().name
    from ..figures import default_model_name
    return default_model_name() or "default"


@annotate.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--project", required=True, help="Project title (created if there is none).")
@server_options
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Figure model folder (default: the registry's default model).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Push only the N new reports the model is least sure of (its regions and "
                   "its fields, per page of text): the ones whose correction teaches it most.")
@field_encoder_option(PREDICTIONS_WITH_ENCODER)
def push(paths, project, url, token, model_dir, limit, field_encoder):
    """Send reports (files or folders) to a Label Studio project with the model's predictions.

    One task per report; reports already in the project (same text sha256) are skipped.
    """
    from ..figures import check_field_encoder
    from .client import Client, Connection, LabelStudioError
    from .config import labeling_config
    from .instructions import instructions_html
    check_field_encoder(model_dir, field_encoder)  # before the server is touched
    try:
        client = Client(Connection.from_env(url, token))
        pid, created = client.project(project, labeling_config(), instructions_html())
        tasks, n_known, version = _tasks(paths, model_dir, limit, field_encoder,
                                         client.task_hashes(pid))
        ids = client.import_tasks(pid, tasks)
    except LabelStudioError as e:
        raise click.ClickException(str(e))
    click.echo(f"project {project!r} (id {pid}{', created' if created else ''}): pushed "
               f"{len(ids)} reports with predictions of model {version}; {n_known} already "
               "there", err=True)


@annotate.command()
@click.option("--project", required=True, help="Project title.")
@server_options
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
              help="Write only the N reports the model is least sure of (its regions and its "
                   "fields, per page of text).")
@field_encoder_option(PREDICTIONS_WITH_ENCODER)
def export_tasks(paths, output, model_dir, limit, field_encoder):
    """Write a Label Studio import file (tasks with predictions) without a server."""
    from ..figures import check_field_encoder
    check_field_encoder(model_dir, field_encoder)  # before the reports are read
    tasks, _, version = _tasks(paths, model_dir, limit, field_encoder)
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
    from .store import store_export
    for line in store_export(tasks, out_dir, project, where):
        click.echo(line, err=True)


@annotate.command()
@click.option("--data-dir", type=click.Path(file_okay=False), default="label-studio",
              show_default=True, help="Where the server keeps its database, password and token.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--project", default="figures", show_default=True, help="Project to create.")
@click.option("--username", default="annotator@localhost", show_default=True,
              help="The account to log in with (made on first start).")
def setup(data_dir, port, project, username):
    """Start a local Label Studio on 127.0.0.1 with an xxgk project; Ctrl-C stops it.

    Says how to log in (the password is kept in DATA_DIR/password) and where the token for
    `push`/`pull`/`serve` comes from (DATA_DIR/token; it is never printed)."""
    from .client import Client, Connection, LabelStudioError
    from .config import labeling_config
    from .instructions import instructions_html
    from .server import credentials, port_free, start, stop, wait_up
    if not port_free(port):  # Label Studio would silently take the next port instead
        raise click.ClickException(f"port {port} on 127.0.0.1 is in use (another Label Studio?): "
                                   "stop that, or pick another with --port")
    data = Path(data_dir).resolve()
    password, token = credentials(data, username)
    url = f"http://127.0.0.1:{port}"
    click.echo(f"starting Label Studio at {url} (data in {data}; the first start takes a minute "
               "or so)", err=True)
    try:
        proc = start(data, port, username, password, token)
    except FileNotFoundError as e:
        raise click.ClickException(str(e))
    signal.signal(signal.SIGTERM, _interrupt)  # a plain kill also stops the server below
    try:
        try:
            wait_up(url, proc, log_path=data / "server.log")
            pid, _ = Client(Connection(url, token)).project(project, labeling_config(),
                                                             instructions_html())
        except (RuntimeError, LabelStudioError) as e:
            raise click.ClickException(f"{e} (is port {port} free? see {data}/server.log)")
        click.echo(f"""Label Studio is running at {url}, project {project!r} (id {pid}). Ctrl-C stops it.
  log in:  {username}, password in {data}/password
  token:   export {URL_ENV}={url} {TOKEN_ENV}=$(cat {data}/token)
           (this server accepts that legacy token; a Personal Access Token from
           Account & Settings works too)
  then:    xxgk annotate push REPORTS... --project {project}
           xxgk annotate pull --project {project}
  model:   xxgk annotate serve, then in the project: Settings -> Model -> Connect Model,
           URL http://127.0.0.1:9090""")
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(proc)


def _interrupt(signum, frame):
    raise KeyboardInterrupt
