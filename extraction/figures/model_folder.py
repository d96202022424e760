"""Check a figure-model folder before anything loads it: a bad folder is one line naming the file.

A folder given with `--model` may be anything: a tokenizer.json that is not text, a config
whose sizes would allocate gigabytes (`hidden_size` 10⁹) or build for minutes
(`num_hidden_layers` 20000). Loading such a folder ends in a traceback or a MemoryError long
after the command started; checking the few numbers that size a model, and the files' sizes,
first turns each into `ModelFolderError("<file>: <why>")`.
"""
from __future__ import annotations

import json
from pathlib import Path

# Bounds far above any figure tagger we train (hidden 128-768, 2-12 layers) and far below what
# would exhaust this machine: a folder outside them is not one of ours.
CONFIG_BOUNDS = {
    "hidden_size": (1, 4096),
    "num_hidden_layers": (1, 48),
    "num_attention_heads": (1, 64),
    "intermediate_size": (1, 16384),
    "vocab_size": (1, 500_000),
    "max_position_embeddings": (1, 65_536),
    "type_vocab_size": (0, 64),
}
MAX_BYTES = {"config.json": 1 << 20, "tokenizer.json": 200 << 20, "tokenizer_config.json": 1 << 20,
             "field_classifier.json": 200 << 20, "model.safetensors": 4 << 30}


class ModelFolderError(ValueError):
    """A model folder that cannot be loaded; the message names the file and the reason."""


def check_model_folder(model_dir: str | Path) -> None:
    """Raise ModelFolderError unless `model_dir` looks loadable (files readable, sizes sane)."""
    folder = Path(model_dir)
    if not folder.is_dir():
        raise ModelFolderError(f"{folder}: not a model folder")
    for name, limit in MAX_BYTES.items():
        path = folder / name
        if path.exists() and path.stat().st_size > limit:
            raise ModelFolderError(f"{path}: {path.stat().st_size} bytes, more than a figure model's "
                                   f"{limit} allows")
    config = _json_object(folder / "config.json", required=True)
    hidden, heads = config.get("hidden_size"), config.get("num_attention_heads")
    for key, (low, high) in CONFIG_BOUNDS.items():
        value = config.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ModelFolderError(f"{folder / 'config.json'}: {key} is {value!r}; "
                                   f"a figure model has a whole number from {low} to {high}")
    if isinstance(hidden, int) and isinstance(heads, int) and heads and hidden % heads:
        raise ModelFolderError(f"{folder / 'config.json'}: hidden_size {hidden} is not a multiple "
                               f"of num_attention_heads {heads}")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        _json_object(folder / name, required=False)


def _json_object(path: Path, required: bool) -> dict:
    if not path.exists():
        if required:
            raise ModelFolderError(f"{path}: missing (no model in this folder)")
        return {}
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise ModelFolderError(f"{path}: not UTF-8 text (not a tokenizer/config file)") from None
    except json.JSONDecodeError as e:
        raise ModelFolderError(f"{path}: not valid JSON (line {e.lineno}: {e.msg})") from None
    except OSError as e:
        raise ModelFolderError(f"{path}: cannot be read ({e.strerror})") from None
    if not isinstance(data, dict):
        raise ModelFolderError(f"{path}: not a JSON object")
    return data
