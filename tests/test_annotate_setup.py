"""`xxgk annotate setup` as an annotator runs it: a real Label Studio started on a free port with a
project for xxgk, how to log in and where the token is; started again on the same folder it
reuses the project; a busy port, a wrong address or a wrong token is one clear line."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.labelstudio

RUNNING = "Label Studio is running at"


def _setup(data: Path, port: int, log: Path) -> subprocess.Popen:
    """`xxgk annotate setup` in its own process (it runs until stopped), its output in `log`."""
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "extraction.cli", "annotate", "setup",
                                 "--data-dir", str(data), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_running(proc: subprocess.Popen, log: Path, timeout: float = 600) -> str:
    """Its output once it says the server is running (the first start takes ~30 s)."""
    deadline = time.monotonic() + timeout
    while RUNNING not in log.read_text(errors="replace"):
        assert proc.poll() is None, f"setup exited: {log.read_text(errors='replace')[-2000:]}"
        assert time.monotonic() < deadline, "setup did not start Label Studio"
        time.sleep(1)
    time.sleep(0.5)  # the rest of the message
    return log.read_text(errors="replace")


def _stop(proc: subprocess.Popen) -> None:
    """Stop setup as a person does (a signal); it stops its server. Its group as a last resort."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(120)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=5):
            return True
    except OSError:
        return False


def _logs_in(url: str, username: str, password: str) -> bool:
    """Label Studio's own login form accepts the account (Django: CSRF cookie, then POST)."""
    requests = pytest.importorskip("requests")
    with requests.Session() as s:
        s.get(url + "/user/login/", timeout=30)
        r = s.post(url + "/user/login/", timeout=30, headers={"Referer": url + "/user/login/"},
                   data={"email": username, "password": password,
                         "csrfmiddlewaretoken": s.cookies.get("csrftoken", "")})
        return r.ok and "/user/login" not in r.url


@pytest.fixture
def tools():
    pytest.importorskip("label_studio_sdk", reason="needs the annotate extra: pip install '.[annotate]'")
    from extraction.annotate import server
    if server.label_studio_exe() is None:
        pytest.skip("needs the label-studio server: pip install '.[annotate]'")
    return server


def test_setup_starts_a_server_with_the_project_and_reuses_it(tools, tmp_path):
    from extraction.annotate.client import Client, Connection
    from extraction.annotate.config import labeling_config
    from extraction.figures.fields import FIELD_TABLE
    from extraction.cli import main
    data, log, port = tmp_path / "ls", tmp_path / "setup.log", tools.free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _setup(data, port, log)
    try:
        said = _wait_running(proc, log)
        password, token = ((data / name).read_text().strip() for name in ("password", "token"))
        username = (data / "username").read_text().strip()
        # how to log in and where the token is; neither secret is printed
        assert f"{url}, project 'figures'" in said and username in said
        assert f"password in {data}/password" in said and f"$(cat {data}/token)" in said
        assert password not in said and token not in said
        assert (data / "password").stat().st_mode & 0o077 == 0  # readable by the owner only
        assert _logs_in(url, username, password)

        client = Client(Connection(url, token))
        pid = client.find_project("figures")
        project = client.sdk.projects.get(id=pid)
        assert project.label_config.strip() == labeling_config().strip()
        # the instructions as Label Studio keeps them (it adds a <tbody>)
        assert project.show_instruction and "最短名称" in project.expert_instruction
        assert all(name in project.expert_instruction for _, name, _ in FIELD_TABLE)
        assert [v.data["title"] for v in client.sdk.views.list(project=pid)] == ["最不确定的在前"]

        # what an annotator mistypes after setup: each is one line saying what is wrong
        env = {"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": token}
        closed = tools.free_port()
        for args, words in [(["--token", "wrong-token-123"], "HTTP 401"),
                            (["--url", f"http://127.0.0.1:{closed}"], "cannot reach it"),
                            (["--url", f"127.0.0.1:{port}"], "not a Label Studio address"),
                            (["--url", f"{url}/projects/"], "not Label Studio's API")]:
            r = CliRunner().invoke(main, ["annotate", "pull", "--project", "figures", *args],
                                   env=env)
            lines = [x for x in r.output.splitlines() if x.strip()]
            assert r.exit_code == 1 and len(lines) == 1 and words in lines[0], r.output
            assert token not in r.output and "Traceback" not in r.output
        # as if made by an older xxgk: another config, no instructions
        client.sdk.projects.update(id=pid, label_config=labeling_config().replace(
            "<Header value=\"标出", "<Header value=\"旧版：标出"), expert_instruction="")
    finally:
        _stop(proc)
    assert proc.returncode is not None and not _answers(url)  # the server stopped with setup

    log = tmp_path / "again.log"
    proc = _setup(data, port, log)  # again on the same folder: the same project, same login
    try:
        said = _wait_running(proc, log)
        assert f"project 'figures' (id {pid})" in said
        assert (data / "token").read_text().strip() == token
        assert [p.id for p in client.sdk.projects.list() if p.title == "figures"] == [pid]
        project = client.sdk.projects.get(id=pid)  # this xxgk's config and instructions again
        assert project.label_config.strip() == labeling_config().strip()
        assert "最短名称" in project.expert_instruction
    finally:
        _stop(proc)
    assert not _answers(url)


def test_setup_on_a_busy_port_says_so_in_one_line(tools, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "extraction.cli", "annotate", "setup",
                            "--data-dir", str(tmp_path / "ls"), "--port", str(port)],
                           capture_output=True, text=True, timeout=120)
    lines = [x for x in (r.stdout + r.stderr).splitlines() if x.strip()]
    assert r.returncode == 1 and len(lines) == 1, lines
    assert f"port {port}" in lines[0] and "in use" in lines[0] and "--port" in lines[0]
    assert not (tmp_path / "ls").exists()  # nothing made before the check
