"""The package's shape: runtime never imports training, one CLI group, readers by name."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          timeout=600)


def test_extraction_never_imports_training():
    """Import every extraction module, extract a sample with the model: no training module, and
    none of what only training needs (jieba: the decoder reads extraction/figures/words.txt)."""
    code = """
import pkgutil, importlib, importlib.util, sys
import extraction
for m in pkgutil.walk_packages(extraction.__path__, "extraction."):
    if m.name.endswith("__main__"):
        continue
    if m.name == "extraction.spacy_component" and importlib.util.find_spec("spacy") is None:
        continue  # the spacy extra is not installed
    importlib.import_module(m.name)
from extraction import extract
from extraction.figures import load_default_model
model = load_default_model()
r = extract("extraction/samples/qingchuan-2023.txt", model=model)
assert r.error is None and r.values, r.error
print(model is not None, sorted(m for m in sys.modules if m.split(".")[0] in ("training", "jieba")))
"""
    proc = run_python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "[]"]


def loaded_by_extract(*options: str) -> list[str]:
    """The packages of training's stack that `xxgk extract` of a sample imports."""
    proc = run_python(
        "import sys\nfrom extraction.cli import main\n"
        f"try:\n    main(['extract', 'extraction/samples/qingchuan-2023.txt', *{list(options)!r}])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'training', 'jieba', 'torch', 'transformers'}))")
    assert proc.returncode == 0, proc.stderr
    return ast.literal_eval(proc.stdout.splitlines()[-1])


def test_xxgk_extract_imports_no_training_and_train_help_works():
    assert loaded_by_extract("--no-figures") == []
    # With the model: the numpy encoder and the shipped word list, nothing of training's stack.
    assert loaded_by_extract() == []
    train = subprocess.run([sys.executable, "-m", "extraction.cli", "train", "--help"], cwd=REPO,
                           capture_output=True, text=True, timeout=600)
    assert train.returncode == 0, train.stderr
    assert "--annotations" in train.stdout and "--base" in train.stdout


def test_every_listed_command_loads_and_has_help():
    from extraction.cli import COMMANDS, main
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output
        sub = CliRunner().invoke(main, [name, "--help"])
        assert sub.exit_code == 0, (name, sub.output)


def test_supported_suffixes_come_from_the_registered_readers(tmp_path):
    from extraction.readers import SUPPORTED, read
    from extraction.readers.registry import READERS, reader, suffixes
    assert set(READERS) == {"txt", "html", "docx", "pdf", "md", "doc", "image"}
    assert SUPPORTED == suffixes() and ".pdf" in SUPPORTED and ".wps" in SUPPORTED
    assert READERS["pdf"].takes_limits and not READERS["docx"].takes_limits
    # a new format is one registered function
    from extraction.document import document_from_text

    @reader("demo", suffixes=(".demo",))
    def read_demo(path, limits=None):
        return document_from_text(path.read_text(encoding="utf-8"), source=str(path))
    try:
        p = tmp_path / "a.demo"
        p.write_text("示例", encoding="utf-8")
        assert read(p).text == "示例"
    finally:
        READERS.pop("demo")


# Run in a fresh interpreter in which the train extra's packages cannot be imported.
WITHOUT_TRAIN = ("import sys\n"
                 "for name in ('torch', 'transformers', 'seqeval', 'sklearn'):\n"
                 "    sys.modules[name] = None  # import fails, as where the extra is not installed\n"
                 "from extraction.cli import main\n")


def test_extraction_with_the_model_needs_nothing_of_the_train_extra(tmp_path):
    out = tmp_path / "r.jsonl"
    proc = run_python(WITHOUT_TRAIN + f"main(['extract', 'extraction/samples/qingchuan-2023.txt', '-o', {str(out)!r}])")
    assert proc.returncode == 0, proc.stderr
    import json
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["values"] and any(f["by"] == "model" for f in record["figures"])


def test_a_training_command_without_the_train_extra_says_so_in_one_line(tmp_path):
    proc = run_python(WITHOUT_TRAIN + f"main(['pretrain', '--out', {str(tmp_path / 'base')!r}])")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "train extra" in proc.stderr and "torch==2.13.0" in proc.stderr


def test_pyproject_keeps_training_out_of_the_core_dependencies():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {d.split(">")[0].split("=")[0].split("<")[0].split("[")[0] for d in project["dependencies"]}
    extras = project["optional-dependencies"]
    assert not core & {"torch", "transformers", "seqeval", "scikit-learn", "jieba", "matplotlib"}
    assert any(d.startswith("torch") for d in extras["train"]) and "xxgk[train]" in extras["test"]
    assert 'xxgk[train]' in (REPO / "README.md").read_text(encoding="utf-8")
