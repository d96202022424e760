"""An ML backend for Label Studio 1.23 (`xxgk annotate serve`): predictions as tasks open, and
retraining started from Label Studio, judged by the regression gate.

Label Studio calls (label_studio/ml/api_connector.py):
  GET  /health            -> {"status": "UP", "model_class", "model_version"}
  POST /setup             {project, schema, extra_params} -> {"model_version"}; 400 if the schema
                          is not xxgk's labeling config
  POST /predict           {tasks, project, label_config, params} -> {"results": [one prediction
                          per task]}, made exactly as `push` makes them (tasks.prediction)
  POST /webhook           Label Studio's events; START_TRAINING starts a retrain in the
                          background (annotations pulled into annotations/, then training.retrain
                          with the gate); other events are acknowledged
  POST /train             the older way to start training (same job)
  POST /job_status        {job} -> {"job_status": queued|started|finished|failed, ...}
  GET  /versions          -> {"versions": [...]} (the registry's promoted versions)
The model is loaded once and shared; predictions for the tasks of one request are batched.
`model_version` is the registry's default: it changes only when a retrained model is promoted.

A plain http.server (ThreadingHTTPServer): the reference SDK on PyPI (label-studio-ml 1.0.9)
pins Flask 1.1.2 / Werkzeug 2.0.2 / Jinja2 3.0.3, which would downgrade what label-studio 1.23.2
runs beside it, and speaks the protocol of older Label Studio versions.
"""
from __future__ import annotations

import base64
import hmac
import json
import logging
import threading
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .config import FIELD, FIELDS, SPANS, TEXT, VALUE
from .display import SHOWN, document_text

log = logging.getLogger(__name__)

MAX_BODY = 64 << 20      # bytes of one request
MAX_TASK_CHARS = 5_000_000  # characters of one task's text (extraction/limits.py's text limit)
MODEL_CLASS = "xxgk figure tagger (QTY/ITEM + rule layer)"


class BadRequest(ValueError):
    """A request the backend cannot serve: answered with `status` and the message, no traceback."""
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def check_schema(schema: str) -> None:
    """BadRequest unless `schema` has xxgk's span labels, field choices and value box."""
    from ..figures.labels import SPAN_LABELS
    try:
        root = ET.fromstring(schema or "")
    except ET.ParseError as e:
        raise BadRequest(f"the labeling config is not XML: {e}") from None
    tags = {(t.tag, t.get("name")): t for t in root.iter() if t.get("name")}
    labels = tags.get(("Labels", SPANS))
    choices = tags.get(("Choices", FIELD))
    missing = [what for what, ok in [
        (f'<Text name="{TEXT}">', ("Text", TEXT) in tags),
        (f'<Labels name="{SPANS}"> with {"/".join(SPAN_LABELS)}', labels is not None and
         [c.get("value") for c in labels] == list(SPAN_LABELS)),
        (f'<Choices name="{FIELD}"> with the 22 fields', choices is not None and
         [c.get("alias") or c.get("value") for c in choices] == list(FIELDS)),
        (f'<TextArea name="{VALUE}">', ("TextArea", VALUE) in tags)] if not ok]
    if missing:
        raise BadRequest("the project's labeling config is not xxgk's (use the one `xxgk annotate "
                         "config` prints); missing: " + ", ".join(missing))


@dataclass
class Retraining:
    """How the backend retrains (training/serve.py wires it, so extraction never imports
    training): `run()` retrains as `xxgk train --annotations` does, gate included, and returns
    its outcome (version, promoted, problems, describe()); annotations are pulled first from
    the Label Studio server of `connection` into the folder `annotations`."""
    run: Callable[[], object]
    annotations: Path
    connection: object | None   # client.Connection (LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY)


@dataclass
class Job:
    id: str
    project: int
    status: str = "queued"   # queued -> started -> finished | failed
    message: str = ""
    version: str | None = None
    promoted: bool | None = None
    log: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"job": self.id, "job_status": self.status, "project": self.project,
                "message": self.message, "model_version": self.version,
                "promoted": self.promoted, "log": self.log}


class Backend:
    """The model being served and the retrain jobs; one per `serve` process."""

    def __init__(self, load_model: Callable[[], tuple], retraining: Retraining | None = None,
                 versions: Callable[[], list[str]] | None = None,
                 max_task_chars: int = MAX_TASK_CHARS):
        """`load_model()` -> (model or None, version): the model to serve now (called again
        after a promotion); `versions()` -> the versions Label Studio may list."""
        self.load_model = load_model
        self.retraining = retraining
        self.list_versions = versions
        self.max_task_chars = max_task_chars
        self._lock = threading.Lock()
        self.jobs: dict[str, Job] = {}
        self.model, self.version = load_model()

    def predict(self, body: dict) -> dict:
        from ..document import document_from_text
        from .tasks import TaskSettings, figures_of, prediction
        tasks = body.get("tasks")
        if not isinstance(tasks, list) or not tasks:
            raise BadRequest("no tasks: POST {\"tasks\": [{\"data\": {\"text\": ...}}, ...]}")
        if body.get("label_config"):
            check_schema(body["label_config"])
        texts = []
        for i, t in enumerate(tasks):
            data = t.get("data") if isinstance(t, dict) else None
            text = document_text(data) if isinstance(data, dict) else None
            name = f"task {t.get('id', i) if isinstance(t, dict) else i}"
            if not isinstance(text, str) or not text:
                raise BadRequest(f"{name}: no text (data.{SHOWN})")
            if len(text) > self.max_task_chars:
                raise BadRequest(f"{name}: text of {len(text)} characters, over the limit of "
                                 f"{self.max_task_chars}", 413)
            texts.append(text)
        with self._lock:  # the model and its version belong together
            model, version = self.model, self.version
        docs = [document_from_text(t, source=f"task {task.get('id')}") for t, task in zip(texts, tasks)]
        settings = TaskSettings(model_version=version)
        return {"results": [prediction(d.text, f, settings)
                            for d, f in zip(docs, figures_of(docs, model))],
                "model_version": version}

    def versions(self) -> dict:
        listed = self.list_versions() if self.list_versions else []
        return {"versions": listed or [self.version], "model_version": self.version}

    # --- retraining ---------------------------------------------------------------------------

    def start_training(self, project) -> dict:
        if self.retraining is None:
            raise BadRequest("this backend was started without retraining", 409)
        if self.retraining.connection is None:
            raise BadRequest("retraining needs LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY to "
                             "fetch the annotations", 409)
        pid = _project_id(project)
        with self._lock:
            running = [j for j in self.jobs.values() if j.status in ("queued", "started")]
            if running:
                return {"job": running[0].id, "job_status": running[0].status,
                        "message": "a retrain is already running"}
            job = Job(uuid.uuid4().hex[:12], pid)
            self.jobs[job.id] = job
        threading.Thread(target=self._train, args=(job,), name=f"retrain-{job.id}",
                         daemon=True).start()
        return {"job": job.id, "job_status": job.status}

    def _train(self, job: Job) -> None:
        from .client import Client, describe_error
        from .store import store_export
        r = self.retraining
        job.status = "started"
        try:
            tasks = Client(r.connection).export(job.project)
            job.log += store_export(tasks, r.annotations, f"project {job.project}")
            outcome = r.run()
            job.log += [f"warning: {p}" for p in outcome.problems]
            job.version, job.promoted, job.message = outcome.version, outcome.promoted, outcome.describe()
            if outcome.promoted:
                model, version = self.load_model()
                with self._lock:
                    self.model, self.version = model, version
            job.status = "finished"
        except Exception as e:  # reported through /job_status; the served model is unchanged
            log.exception("retrain job %s failed", job.id)
            job.status, job.message = "failed", describe_error(e)
        log.info("retrain job %s: %s %s", job.id, job.status, job.message)

    def job_status(self, body: dict) -> dict:
        job = self.jobs.get(str(body.get("job")))
        if job is None:
            raise BadRequest(f"no job {body.get('job')!r}", 410)  # 410: Label Studio's "removed"
        return job.as_json()

    # --- requests -----------------------------------------------------------------------------

    def handle(self, method: str, path: str, body: dict) -> dict:
        route = (method, path.rstrip("/") or "/")
        if route in (("GET", "/health"), ("GET", "/")):
            return {"status": "UP", "model_class": MODEL_CLASS, "model_version": self.version}
        if route == ("POST", "/setup"):
            check_schema(body.get("schema", ""))
            return {"model_version": self.version}
        if route == ("POST", "/predict"):
            return self.predict(body)
        if route == ("POST", "/webhook"):
            if body.get("action") == "START_TRAINING":
                return self.start_training(body.get("project"))
            return {"status": "ok", "action": body.get("action")}  # annotation events: noted only
        if route == ("POST", "/train"):
            return self.start_training(body.get("project"))
        if route == ("POST", "/job_status"):
            return self.job_status(body)
        if route == ("GET", "/versions"):
            return self.versions()
        raise BadRequest(f"no {method} {path} here (health, setup, predict, webhook, train, "
                         "job_status, versions)", 404)


def _project_id(project) -> int:
    """Label Studio sends a project as a serialized object ({"id": ...}) or as "ID.TIMESTAMP"."""
    if isinstance(project, dict):
        project = project.get("id")
    try:
        return int(str(project).split(".")[0])
    except ValueError:
        raise BadRequest(f"no project id in {project!r}") from None


def make_server(backend: Backend, host: str = "127.0.0.1", port: int = 9090,
                basic_auth: tuple[str, str] | None = None) -> ThreadingHTTPServer:
    """The HTTP server (call .serve_forever()); with `basic_auth` every request must carry it."""
    expected = None
    if basic_auth:
        expected = "Basic " + base64.b64encode(":".join(basic_auth).encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        server_version = "xxgk-ml-backend"

        def _answer(self, status: int, payload: dict) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if status == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="xxgk"')
            self.end_headers()
            self.wfile.write(data)

        def _serve(self, method: str) -> None:
            try:
                if expected and not hmac.compare_digest(self.headers.get("Authorization", ""), expected):
                    raise BadRequest("basic authentication required", 401)
                body = self._body() if method == "POST" else {}
                self._answer(200, backend.handle(method, self.path.split("?")[0], body))
            except BadRequest as e:
                self._answer(e.status, {"error": str(e)})
            except Exception as e:  # a bug, not the caller's fault: logged here, one line there
                log.exception("%s %s failed", method, self.path)
                self._answer(500, {"error": f"{type(e).__name__}: {e}"})

        def _body(self) -> dict:
            try:
                n = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                raise BadRequest("bad Content-Length") from None
            if n > MAX_BODY:
                raise BadRequest(f"request of {n} bytes, over the limit of {MAX_BODY}", 413)
            raw = self.rfile.read(n) if n else b"{}"
            try:
                body = json.loads(raw or b"{}")
            except ValueError as e:
                raise BadRequest(f"the body is not JSON: {e}") from None
            if not isinstance(body, dict):
                raise BadRequest("the body must be a JSON object")
            return body

        def do_GET(self):  # noqa: N802 (http.server's names)
            self._serve("GET")

        def do_POST(self):  # noqa: N802
            self._serve("POST")

        def log_message(self, fmt, *args):  # requests to the log, not to stderr; no headers
            log.info("%s %s", self.address_string(), fmt % args)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
