"""Durable progress of a batch: `records.jsonl`, appended one finished record at a time.

Each record is written as one line and fsync'ed before the next, so after a crash or `kill -9`
the file holds every record that was finished, plus at most one torn last line, which opening
the store cuts off. Everything else (CSV, Parquet, SQLite) is derived from this file at the end,
so a re-run ends with exactly the rows of an uninterrupted run: nothing lost, nothing doubled.
"""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from ..record import Record
from .walk import input_key, record_key

RECORDS = "records.jsonl"
LOCK = ".batch.lock"
BOM = b"\xef\xbb\xbf"


class BatchLocked(RuntimeError):
    pass


# The lock files this process holds. A flock belongs to the open file, which a forked child
# shares: a batch worker forked from this process (run.py) would hold the folder's lock until
# it exits, after the batch has released it. The child's copy is pointed at /dev/null instead.
_HELD_LOCKS: set[int] = set()


def _drop_locks_in_child() -> None:
    if _HELD_LOCKS:
        null = os.open(os.devnull, os.O_RDONLY)
        for fd in _HELD_LOCKS:
            os.dup2(null, fd)  # the number stays valid for the file object, the lock is not held
        os.close(null)
        _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_drop_locks_in_child)


class RecordStore:
    """The records of one output folder. Use as a context manager: it holds the folder's lock."""

    def __init__(self, out_dir: str | Path):
        self.dir = Path(out_dir)
        self.path = self.dir / RECORDS
        self._lock = None
        self._file = None

    def __enter__(self) -> "RecordStore":
        self.dir.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.dir / LOCK, "w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise BatchLocked(f"another batch is writing to {self.dir}; wait for it or pick another folder")
        _HELD_LOCKS.add(self._lock.fileno())
        drop_torn_tail(self.path)
        self._file = open(self.path, "a", encoding="utf-8")
        return self

    def __exit__(self, *exc) -> None:
        if self._file:
            self._file.close()
        if self._lock:
            _HELD_LOCKS.discard(self._lock.fileno())
            self._lock.close()  # closing releases the flock

    def finish(self, current: dict[str, str] | None = None) -> int:
        """Stop appending; rewrite records.jsonl in source order, without the records `current`
        makes stale (see `stale`); return how many records it holds."""
        self._file.close()
        self._file = None
        return sort_records_file(self.path, current)

    def done_keys(self, retry_errors: bool = False, current: dict[str, str] | None = None) -> set[str]:
        """Reports with a record that is not stale (with retry_errors: not an error record).

        Each record also marks its source done by name (`input_key(source, None)`): that is how
        a URL, which the client does not read, is known to be done.
        """
        done = set()
        for key, source, _, _, is_error in scan(self.path):
            if not (retry_errors and is_error) and not stale(key, source, current):
                done.update((key, input_key(source, None)))
        return done

    def sources(self) -> dict[str, str]:
        """The source each recorded report's key was recorded under."""
        return {key: source for key, source, *_ in scan(self.path)}

    def stale_sources(self, current: dict[str, str]) -> list[str]:
        """Paths whose record is of other content than the file has now (edited, or restored)."""
        return sorted({source for key, source, *_ in scan(self.path) if stale(key, source, current)})

    def append(self, record: Record) -> None:
        """Write one record as one line and make it durable before returning."""
        self._file.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())


def stale(key: str, source: str, current: dict[str, str] | None) -> bool:
    """A record is stale when this run walked its path and found other content there: the file
    was edited (another sha256), or could not be opened then and can now (or the reverse). A
    report is known by its path *and* its content; the new record replaces the stale one."""
    return bool(current) and source in current and current[source] != key


def drop_torn_tail(path: Path) -> None:
    """Cut a last line that a crash left without its newline (it is an unfinished write)."""
    if not path.exists():
        return
    with open(path, "rb+") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size == 0:
            return
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        # Walk back to the last newline; the bytes after it are the torn line.
        pos = size
        while pos > 0:
            step = min(1 << 16, pos)
            f.seek(pos - step)
            chunk = f.read(step)
            i = chunk.rfind(b"\n")
            if i >= 0:
                pos = pos - step + i + 1
                break
            pos -= step
        f.truncate(pos)
        f.flush()
        os.fsync(f.fileno())


def scan(path: Path):
    """(key, source, offset, length, is_error) of each report's record line, in file order.

    A report with several lines (its error record, then the record of a retry) is given by its
    last line. Reads one line at a time, so a records.jsonl far larger than memory is fine. A
    line that is not valid JSON can only be a torn write and is skipped.
    """
    if not path.exists():
        return []
    last: dict[str, tuple] = {}
    offset = 0
    with open(path, "rb") as f:
        for line in f:
            record = parse_line(line)
            if isinstance(record, dict):
                key = record_key(record)
                last.pop(key, None)  # re-insert: order of the last line
                # A source read at last replaces its error record from when it could not be.
                last.pop(input_key(record.get("source") or "", None), None)
                last[key] = (key, record.get("source") or "", offset, len(line), "error" in record)
            offset += len(line)
    return list(last.values())


def sort_records_file(path: Path, current: dict[str, str] | None = None) -> int:
    """Rewrite records.jsonl in (source, key) order, each report once, atomically (tmp + rename).

    Stale records (see `stale`) are left out. A failed write (a full disk) leaves no .tmp."""
    index = sorted((e for e in scan(path) if not stale(e[0], e[1], current)),
                   key=lambda e: (e[1], e[0]))
    tmp = path.with_suffix(".jsonl.tmp")
    try:
        with open(path, "rb") as src, open(tmp, "wb") as dst:
            for _, _, offset, length, _ in index:
                src.seek(offset)
                line = src.read(length).removeprefix(BOM)
                dst.write(line if line.endswith(b"\n") else line + b"\n")
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return len(index)


def parse_line(line: bytes | str):
    """One JSON line of a records file, or None for a torn line. A byte-order mark (an editor
    saved the file) is not part of the record: every reader of records goes through here."""
    try:
        return json.loads(line.removeprefix(BOM if isinstance(line, bytes) else "\ufeff"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def records_in(path: str | Path):
    """The records of a finished records.jsonl (one line per report), one at a time."""
    path = Path(path)
    if not path.exists():
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            raw = parse_line(line)
            if isinstance(raw, dict):
                yield Record.from_json(raw)


def read_records(path: str | Path) -> list[Record]:
    return list(records_in(path))
