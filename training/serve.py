"""`xxgk annotate serve`: the ML backend (extraction/annotate/backend.py) wired to the model
registry and to `xxgk train --annotations`'s retrain, which live here on the training side."""
from __future__ import annotations

import logging
import os
from functools import partial

import click

from extraction.annotate.cli import PREDICTIONS_WITH_ENCODER, server_options
from extraction.commands import field_encoder_option
from .cli import retrain_options, retraining_from_options


def registry_model(models_dir=None, field_encoder=None) -> tuple:
    """(model, version) of the registry's default (else the default model lookup of extraction),
    its fields decided with `field_encoder` when one is given (the version then says so)."""
    from extraction.annotate.tasks import model_version
    from extraction.figures import default_model_dir, load_default_model
    from extraction.figures.model_folder import ModelFolderError
    from .registry import Registry
    reg = Registry(models_dir)
    path = reg.default_path()
    if path is None and models_dir is None:
        path = default_model_dir()
    if path is None:
        if field_encoder:
            raise ModelFolderError(f"--field-encoder {field_encoder}: {reg.root} has no default model")
        return None, "rules-only"
    return (load_default_model(path, field_encoder=field_encoder),
            model_version(reg.default or path.name, field_encoder))


def registry_versions(models_dir=None, field_encoder=None) -> list[str]:
    from extraction.annotate.tasks import model_version
    from .registry import Registry
    return [model_version(e.version, field_encoder) for e in Registry(models_dir).entries
            if e.status != "refused"]


def make_backend(settings, train_fn, connection, field_encoder=None):
    """A Backend serving the default of `settings.models_dir` (read with `field_encoder`),
    retraining with `train_fn`."""
    from extraction.annotate.backend import Backend, Retraining
    from .retrain import retrain
    return Backend(partial(registry_model, settings.models_dir, field_encoder),
                   Retraining(partial(retrain, settings, train_fn), settings.annotations, connection),
                   partial(registry_versions, settings.models_dir, field_encoder))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=9090, show_default=True)
@click.option("--base", default=None, help="Pre-trained model to fine-tune when Label Studio starts "
              "training (default: models/xxgk-charbert-base).")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Gold to train on beside the annotations (default: the shared narrative gold).")
@click.option("--texts", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of the gold's texts.")
@retrain_options
@server_options
@click.option("--basic-auth-user", default=None, help="Require HTTP basic auth (set the same in "
              "Label Studio's Connect Model form); the password comes from $XXGK_BACKEND_PASSWORD.")
@field_encoder_option(PREDICTIONS_WITH_ENCODER + " A retrain fits that classifier too.")
@click.option("-v", "--verbose", is_flag=True, help="Log requests and training.")
def serve(host, port, base, gold, texts, url, token, basic_auth_user, field_encoder, verbose,
          **opts):
    """Serve the figure model to Label Studio as an ML backend (Settings -> Model -> Connect).

    Predictions as tasks open, exactly as `push` makes them. START_TRAINING from Label Studio
    pulls the project's annotations into --annotations (default annotations/) and retrains in the
    background as `xxgk train --annotations` does: the gate decides, and only a promoted model is
    served (its version becomes the new model_version)."""
    from extraction.annotate.backend import make_server
    from extraction.annotate.client import Connection, LabelStudioError
    from extraction.figures import default_base_dir
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(name)s: %(message)s")
    opts["annotations"] = opts["annotations"] or "annotations"
    settings, train_fn = retraining_from_options(
        opts, {"base": base or str(default_base_dir()), "gold": gold, "texts": texts,
               "field_encoder": field_encoder})
    try:
        connection = Connection.from_env(url, token)
    except LabelStudioError as e:
        click.echo(f"retraining disabled ({e})", err=True)
        connection = None
    auth = None
    if basic_auth_user:
        password = os.environ.get("XXGK_BACKEND_PASSWORD")
        if not password:
            raise click.ClickException("--basic-auth-user needs $XXGK_BACKEND_PASSWORD")
        auth = (basic_auth_user, password)
    backend = make_backend(settings, train_fn, connection, field_encoder)
    try:
        server = make_server(backend, host, port, auth)
    except OSError as e:
        raise click.ClickException(f"cannot listen on {host}:{port}: {e.strerror}")
    click.echo(f"serving model {backend.version} at http://{host}:{server.server_address[1]} "
               "(Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
