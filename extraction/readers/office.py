"""Old Word (.doc) and WPS (.wps) files: converted to DOCX by LibreOffice, then read as DOCX.

LibreOffice runs headless with its own throwaway profile (so that parallel conversions and a
desktop LibreOffice do not lock each other out), writes into a temporary folder, and is killed
after `timeout` seconds.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..document import Document
from ..errors import EncryptedFile, MissingTool, TimeLimit, UnreadableFile
from .docx import read_docx
from .registry import reader

MISSING = "reading .doc/.wps needs LibreOffice (soffice) installed: apt-get install libreoffice-writer"


@dataclass(frozen=True)
class OfficeSettings:
    timeout: float = 90.0        # seconds for one conversion
    soffice: str | None = None   # path to soffice; None: look on PATH

    def __post_init__(self):
        if self.timeout <= 0:
            raise ValueError("OfficeSettings.timeout must be positive")


def find_soffice(settings: OfficeSettings) -> str:
    if settings.soffice:
        return settings.soffice
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise MissingTool(MISSING)
    return found


@reader("doc", suffixes=(".doc", ".wps"))
def read_doc(path: Path, settings: OfficeSettings | None = None) -> Document:
    settings = settings or OfficeSettings()
    if is_encrypted_ole(path):
        raise EncryptedFile("encrypted Word document (password needed)", "encrypted_document")
    soffice = find_soffice(settings)
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-") as tmp:
        out = convert_to_docx(soffice, path, Path(tmp), settings.timeout)
        doc = read_docx(out, format=path.suffix.lower().lstrip(".") or "doc", source=str(path))
    doc.warnings.insert(0, "converted to DOCX by LibreOffice before reading")
    return doc


def convert_to_docx(soffice: str, path: Path, tmp: Path, timeout: float) -> Path:
    profile = (tmp / "profile").resolve().as_uri()
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
           "--nologo", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp / "out"),
           str(path.resolve())]
    try:
        run = subprocess.run(cmd, capture_output=True, timeout=timeout, text=True)
    except subprocess.TimeoutExpired:
        raise TimeLimit(f"LibreOffice took longer than {timeout:g} s to convert {path.name}")
    except OSError as e:
        raise MissingTool(f"{MISSING} (running {soffice} failed: {e.strerror or e})")
    out = tmp / "out" / (path.stem + ".docx")
    if not out.exists():
        detail = (run.stderr or run.stdout or "").strip().splitlines()[-1:] or ["no output"]
        raise UnreadableFile(f"LibreOffice could not convert {path.name} to DOCX ({detail[0]}); "
                             "the file may be damaged", "unreadable_doc")
    return out


def is_encrypted_ole(path: Path) -> bool:
    """An OLE2 file holding an encrypted OOXML package (a password-protected .docx/.doc)."""
    data = path.read_bytes()  # the directory may sit anywhere; files are size-limited upstream
    return data.startswith(b"\xd0\xcf\x11\xe0") and "EncryptedPackage".encode("utf-16-le") in data
