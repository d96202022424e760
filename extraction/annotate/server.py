"""Start a local Label Studio (1.23) on 127.0.0.1, offline, with a preset account and token:
what `xxgk annotate setup` runs, and what the tests start (../shared/spec/labelstudio.md).

The server may call an ML backend on this machine (`xxgk annotate serve`): Label Studio refuses
local addresses unless ML_BLOCK_LOCAL_IP and SSRF_PROTECTION_ENABLED are off, which is safe here
because the server listens on 127.0.0.1 only.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Variables Label Studio falls back to when its own are unset: never inherited.
_FALLBACKS = ("HOST", "PORT", "USERNAME", "PASSWORD", "USER_TOKEN")


def free_port() -> int:
    """A free port on 127.0.0.1 (a busy port makes Label Studio silently move to the next)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:`port` (it can be bound; connections of a stopped
    server still closing do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def label_studio_exe() -> Path | None:
    """The `label-studio` script of this Python (a venv's, or the one it was made from)."""
    import shutil
    for folder in (Path(sys.executable).parent, Path(sys.base_exec_prefix) / "bin"):
        if (folder / "label-studio").exists():
            return folder / "label-studio"
    found = shutil.which("label-studio")
    return Path(found) if found else None


def server_env(data_dir: Path, username: str, password: str, token: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _FALLBACKS}
    env.update(HOME=str(data_dir / "home"),  # it writes under $HOME even with --data-dir
               LABEL_STUDIO_USERNAME=username, LABEL_STUDIO_PASSWORD=password,
               LABEL_STUDIO_USER_TOKEN=token,
               LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",  # counts only on a new data dir
               LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true",
               LABEL_STUDIO_COLLECT_ANALYTICS="false", LABEL_STUDIO_LATEST_VERSION_CHECK="false",
               SENTRY_DSN="", FRONTEND_SENTRY_DSN="",
               ML_BLOCK_LOCAL_IP="false", SSRF_PROTECTION_ENABLED="false")
    return env


def start(data_dir: Path, port: int, username: str, password: str, token: str,
          log_path: Path | None = None) -> subprocess.Popen:
    """The server process (stop it with .terminate(): SIGINT is ignored in the background)."""
    exe = label_studio_exe()
    if exe is None:
        raise FileNotFoundError("the label-studio server is not installed: pip install 'xxgk[annotate]'")
    data_dir = Path(data_dir)
    (data_dir / "home").mkdir(parents=True, exist_ok=True)
    log = open(log_path or data_dir / "server.log", "ab")
    try:
        return subprocess.Popen([str(exe), "start", "--no-browser", "--internal-host", "127.0.0.1",
                                 "--port", str(port), "--data-dir", str(data_dir / "data")],
                                env=server_env(data_dir, username, password, token),
                                stdout=log, stderr=subprocess.STDOUT)
    finally:
        log.close()  # the child keeps its own copy


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 600, log_path: Path | None = None) -> None:
    """Until GET /health says UP (~30 s on a new data dir, a few on an existing one)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"Label Studio exited: {_tail(log_path)}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as r:
                if b'"UP"' in r.read():
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"Label Studio not up after {timeout:.0f} s: {_tail(log_path)}")
        time.sleep(1)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _tail(log_path) -> str:
    try:
        return Path(log_path).read_text(errors="replace")[-2000:] if log_path else ""
    except OSError:
        return ""


def credentials(data_dir: Path, username: str) -> tuple[str, str]:
    """(password, token) of the local server, made once and kept in data_dir (readable by the
    owner only): `password` to log in in the browser, `token` for xxgk."""
    import secrets
    data_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for name, make in (("password", lambda: secrets.token_urlsafe(12)),
                       ("token", lambda: secrets.token_hex(20))):
        path = data_dir / name
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(make() + "\n")
        out.append(path.read_text().strip())
    (data_dir / "username").write_text(username + "\n")
    return out[0], out[1]
