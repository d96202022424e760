"""The built wheel carries the shipped model and the samples: installed into a fresh venv (offline,
no dependencies fetched: the test environment's site-packages have them), it extracts a sample
with the model, found inside the installed package, run from a folder outside the repository."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def run(*args, cwd, **kw):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900, **kw)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the fresh venv's bin folder, the wheel) with xxgk installed from a wheel built here."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # a copy, so the build leaves nothing (build/, egg-info) in the checkout
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "annotations"))
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
        "-w", tmp / "dist", ".", cwd=src)
    wheel = next((tmp / "dist").glob("xxgk-*.whl"))
    run(sys.executable, "-m", "venv", tmp / "venv", cwd=tmp)
    bin_dir = tmp / "venv" / "bin"
    # The dependencies: this interpreter's site-packages, appended to the fresh venv's path. A
    # path listed in a .pth file is not scanned for .pth files itself, so the editable xxgk of
    # the test environment stays out and the wheel's xxgk is the one imported.
    fresh_site = run(bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp).stdout.strip()
    deps = [p for p in sys.path if p.endswith("-packages") and Path(p).is_dir()]
    (Path(fresh_site) / "test_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    run(bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp)
    return bin_dir, wheel


def test_wheel_holds_the_model_and_the_samples(installed):
    names = zipfile.ZipFile(installed[1]).namelist()
    assert "extraction/models/xxgk-figures/model.safetensors" in names
    assert "extraction/models/xxgk-figures/config.json" in names
    assert "extraction/models/xxgk-figures/pair_encoder/model.safetensors" in names  # the default classifier reads it
    assert "extraction/samples/qingchuan-2023.txt" in names
    assert "extraction/figures/words.txt" in names  # the decoder's word list
    assert not any(n.startswith("models/") or "xxgk-charbert-base" in n for n in names)


def test_installed_wheel_extracts_a_sample_with_its_model(installed, tmp_path):
    bin_dir, _ = installed
    where = run(bin_dir / "python", "-c",
                "import extraction, extraction.figures as f; print(extraction.__file__); print(f.default_model_dir())",
                cwd=tmp_path).stdout.split()
    assert "site-packages" in where[0] and str(REPO) not in where[0]
    assert Path(where[1]).is_relative_to(Path(where[0]).parent), where
    samples = Path(where[0]).parent / "samples"
    run(bin_dir / "xxgk", "extract", samples / "qingchuan-2023.txt", "-o", "out.jsonl", cwd=tmp_path)
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert record["values"] and any(f["by"] == "model" for f in record["figures"])
    assert not any("no figure model" in w for w in record.get("warnings", []))
