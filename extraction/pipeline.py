"""One report in, one record out: read -> sections -> tables / figures -> checks -> record."""
from __future__ import annotations

from pathlib import Path

from .config import Config
from .document import Document
from .errors import ExtractionError
from .inputs import display_path, file_sha256
from .limits import Limits, check_archive, check_file_size, time_limit
from .readers import read
from .record import Record


def read_document(path: str | Path) -> Document:
    return read(Path(path))


def extract(path: str | Path, model=None, figures: bool = True, limits: Limits | None = None,
            config: Config | None = None) -> Record:
    """Extract one report into its record (docs/record.md); any failure becomes an error record.

    `model` is a loaded figure tagger (None: no figures are tagged by a model, unless
    `config.model` names a folder to load, with `config.tagger`). `config` carries every stage's
    settings (config.py): readers, limits, sections, tagger.
    Every input gives exactly one record: nothing a file contains may crash or hang the caller.
    """
    path = Path(path)
    config = config or Config()
    figures = figures and config.figures
    if model is None and figures and config.model:
        from .figures import load_default_model
        model = load_default_model(config.model, config.tagger)
    limits = limits or config.limits or Limits.from_env()
    source = display_path(path)  # a name that is not UTF-8 is written with \xNN escapes
    try:
        data_hash = file_sha256(path)
    except OSError as e:
        return open_error(source, e)
    try:
        check_file_size(path, limits)
        with open(path, "rb") as f:
            if f.read(4) == b"PK\x03\x04":
                check_archive(path, limits)
        with time_limit(limits.max_seconds):
            doc = read(path, limits, config.readers)
            doc.source = source  # the readers keep the path as given; records carry it printable
            return extract_document(doc, sha256=data_hash, model=model, figures=figures,
                                    sections=config.sections)
    except ExtractionError as e:
        return error_record(source, data_hash, e.type, str(e))
    except RecursionError:
        return error_record(source, data_hash, "too_deeply_nested",
                            "the document is nested too deeply to read (e.g. HTML nested thousands deep)")
    except MemoryError:
        return error_record(source, data_hash, "out_of_memory", "reading it ran out of memory")
    except Exception as e:  # a bug or a file no reader foresaw: one error line, the run goes on
        return error_record(source, data_hash, "internal_error",
                            f"{type(e).__name__}: {e} (please report this file)")


def error_record(source: str, sha256: str | None, type: str, message: str) -> Record:
    return Record.failed(source, sha256, type, message)


def open_error(source: str, e: OSError) -> Record:
    """The record of a file that cannot be opened (it has no sha256)."""
    return error_record(source, None, "unreadable_file", f"cannot open: {e.strerror or e}")


def extract_document(doc: Document, sha256: str | None = None, model=None,
                     figures: bool = True, sections=None) -> Record:
    from .record import build_record
    return build_record(doc, sha256=sha256, model=model, figures=figures, sections=sections)
