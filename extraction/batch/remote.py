"""Inputs given as fsspec URLs (`http(s)://`, `s3://`, `gs://`, `file://`, …): listed on the client,
read where the extraction runs (a batch worker, perhaps on another host).

- A URL names one file, a folder (every supported report under it) or a glob (`*`, `?`, `[`).
  Over HTTP a folder is a URL ending in `/` (an index page whose links are followed); any
  other HTTP URL is one file, since a report page may itself hold links.
- Credentials come from the environment of whoever reads (AWS_* / AWS_PROFILE for s3://,
  GOOGLE_APPLICATION_CREDENTIALS for gs://, FSSPEC_* settings); a URL carrying a password is
  refused, so that no secret ends up in records.jsonl, a table or a log.
- A URL's record has `source` = the URL and `sha256` = of the bytes read by the worker.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..errors import FileTooLarge
from ..limits import MB, Limits

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_GLOB = re.compile(r"[*?\[]")


class BadURL(ValueError):
    """A URL that cannot be batched (a password in it, an unknown protocol, nothing there)."""


def is_url(path) -> bool:
    return isinstance(path, str) and bool(_SCHEME.match(path))


def url_name(url: str) -> str:
    """The file name at the end of a URL, e.g. for the reader's extension (HTTP's percent-decoded)."""
    parts = urlsplit(url)
    path = unquote(parts.path) if parts.scheme in ("http", "https") else parts.path
    return PurePosixPath(path).name or "report"


def list_url(url: str, supported: tuple[str, ...]) -> list[str]:
    """The file URLs a URL stands for, in a stable order: itself, a folder's reports, a glob's matches."""
    if urlsplit(url).password:
        raise BadURL(f"{_redacted(url)}: put credentials in the environment, not in the URL")
    try:
        import fsspec
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as e:  # unknown protocol, or its package is not installed
        raise BadURL(f"{url}: {e}") from e
    web = urlsplit(url).scheme in ("http", "https")
    try:
        if _GLOB.search(path if not web else urlsplit(url).path):
            found = sorted(fs.glob(path))
        elif (url.endswith("/") if web else fs.isdir(path)):
            found = sorted(p for p in fs.find(path)
                           if Path(unquote(p)).suffix.lower() in supported)
        else:
            return [url]
    except OSError as e:
        raise BadURL(f"{url}: cannot list ({e.__class__.__name__}: {e})") from e
    if not found:
        raise BadURL(f"{url}: no report found there")
    return [p if is_url(p) else fs.unstrip_protocol(p) for p in found]


def fetch(url: str, dest: Path, limits: Limits) -> str:
    """Copy the file at `url` into `dest`, at most `limits.max_file_mb`; return its sha256."""
    import fsspec

    h = hashlib.sha256()
    size = 0
    with fsspec.open(url, "rb") as src, open(dest, "wb") as out:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            size += len(chunk)
            if size > limits.max_file_mb * MB:
                raise FileTooLarge(f"file too large (over {limits.max_file_mb:g} MB, "
                                   f"limit {limits.max_file_mb:g} MB)")
            h.update(chunk)
            out.write(chunk)
    return h.hexdigest()


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
