"""A thin wrapper over the Label Studio SDK (label-studio-sdk 2.x, the `annotate` extra).

The API token is never printed or logged: it is not part of any message we raise, and errors
from the SDK or the network are re-raised with the token blanked out of their text.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

URL_ENV = "LABEL_STUDIO_URL"
TOKEN_ENV = "LABEL_STUDIO_API_KEY"


class LabelStudioError(RuntimeError):
    """Talking to Label Studio failed (the message never contains the token)."""


@dataclass
class Connection:
    url: str
    token: str = field(repr=False)  # repr=False: a printed Connection does not show it

    @classmethod
    def from_env(cls, url: str | None = None, token: str | None = None) -> "Connection":
        url = url or os.environ.get(URL_ENV)
        token = token or os.environ.get(TOKEN_ENV)
        if not url:
            raise LabelStudioError(f"no Label Studio URL: pass --url or set {URL_ENV}")
        if not url.startswith(("http://", "https://")):
            raise LabelStudioError(f"{url!r} is not a Label Studio address: give the server's, "
                                   "e.g. http://127.0.0.1:8080")
        if not token:
            raise LabelStudioError(f"no API token: pass --token or set {TOKEN_ENV}")
        return cls(url.rstrip("/"), token)


# Task list columns an annotator does not need (Label Studio shows every column that a view does
# not hide): the texts, the hash, the raw results; left are the id, the report (source), the
# prediction score and who annotated what.
HIDDEN_COLUMNS = [f"tasks:{c}" for c in (
    "data.text", "data.document", "data.sha256", "inner_id", "annotations_results",
    "annotations_ids", "predictions_results", "file_upload", "storage_filename", "created_at",
    "updated_at", "updated_by", "avg_lead_time", "draft_exists")]


class Client:
    """The few calls xxgk makes: find or create a project, import tasks, export annotations."""

    def __init__(self, conn: Connection):
        try:
            from label_studio_sdk import LabelStudio
        except ImportError:
            raise LabelStudioError("label-studio-sdk is not installed: pip install 'xxgk[annotate]'") from None
        self._conn = conn
        self._ls = LabelStudio(base_url=conn.url, api_key=conn.token)

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:  # any SDK/HTTP error: one line, Label Studio's own words, no token
            raise LabelStudioError(f"{what} at {self._conn.url} failed: "
                                   + describe_error(e, self._conn.token)) from None

    def find_project(self, title: str) -> int | None:
        projects = self._call("listing projects", lambda: list(self._ls.projects.list(title=title)))
        ids = sorted(p.id for p in projects if p.title == title)
        return ids[0] if ids else None

    def project(self, title: str, label_config: str, instructions: str = "") -> tuple[int, bool]:
        """(id, created): the project with this title, created if missing; its labeling config
        and instructions (shown before each task) are set (again), so a project made by an
        older xxgk gets this one's."""
        pid = self.find_project(title)
        settings = {"label_config": label_config, "expert_instruction": instructions,
                    "show_instruction": bool(instructions)}
        if pid is not None:
            self._call("updating the project's labeling config and instructions",
                       self._ls.projects.update, id=pid, **settings)
            return pid, False
        p = self._call("creating a project", self._ls.projects.create, title=title, **settings)
        # the data manager's first tab: most uncertain first, the prediction score beside it
        self._call("creating the task list", self._ls.views.create, project=p.id, data={
            "title": "最不确定的在前", "ordering": ["tasks:predictions_score"],
            "hiddenColumns": {"explore": HIDDEN_COLUMNS, "labeling": HIDDEN_COLUMNS}})
        return p.id, True

    def task_hashes(self, project_id: int) -> set[str]:
        """The sha256 of every task's text already in the project."""
        tasks = self._call("listing tasks", lambda: list(
            self._ls.tasks.list(project=project_id, fields="all")))
        return {(t.data or {}).get("sha256") for t in tasks} - {None}

    def import_tasks(self, project_id: int, tasks: list[dict]) -> list[int]:
        if not tasks:
            return []
        r = self._call("importing tasks", self._ls.projects.import_tasks,
                       id=project_id, request=tasks, return_task_ids=True)
        return list(r.task_ids or [])

    def export(self, project_id: int) -> list[dict]:
        """Every annotated task with its data and annotations (Label Studio's JSON export)."""
        return self._call("exporting", self._ls.projects.exports.as_json, project_id)

    @property
    def sdk(self):
        """The SDK client itself, for what this wrapper does not cover (e.g. tests annotating)."""
        return self._ls


# What Label Studio 1.23 says when the token is a legacy one and legacy tokens are off.
LEGACY_REFUSED = "legacy token"
TOKEN_HELP = ("use a Personal Access Token (Label Studio: Account & Settings -> Personal Access "
              "Token), or a server started with LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true "
              "(xxgk annotate setup does)")


# The HTTP client's (httpx) errors when nothing answers at the address.
UNREACHABLE = ("ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError")
NOT_THE_API = ("an HTML page, not Label Studio's API (give the server's address without a path, "
               "e.g. http://127.0.0.1:8080)")


def describe_error(e: Exception, token: str = "") -> str:
    """One line: Label Studio's status and message (never its headers), the token blanked."""
    status = getattr(e, "status_code", None)
    body = getattr(e, "body", None)
    if status is not None:
        if isinstance(body, dict):
            message = body.get("detail") or body.get("error") or body.get("validation_errors") or body
        elif str(body).lstrip().startswith("<"):
            message = NOT_THE_API
        else:
            message = body
        line = f"HTTP {status}: {message}"
        if status in (401, 403):
            line += f" ({TOKEN_HELP})" if LEGACY_REFUSED in str(message) else " (check the token)"
    elif type(e).__name__ in UNREACHABLE:
        line = f"cannot reach it ({e}): is Label Studio running there? (xxgk annotate setup starts one)"
    else:
        line = f"{type(e).__name__}: {e}"
    line = " ".join(str(line).split())  # one line
    if token:
        line = line.replace(token, "***")
    return line[:400]
