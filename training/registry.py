"""The model registry: versioned model folders under `models/` and which one is the default.

`models/registry.json` lists every model ever registered, newest last, with its metrics on the
fixed evaluation set and the gate's decision; `default` names the model `xxgk extract` uses.
A promoted model is never deleted: promoting another only moves `default`. A refused candidate
keeps its entry (metrics and the reason) but its weights are removed, so the folder only grows
by models that were, at some point, the default.

A folder that predates the registry (the shipped `models/xxgk-figures/`) is adopted as the first
entry the first time the registry is written.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

# The file name, the shipped model and where models/ is: known to the runtime, which reads the
# registry's default (extraction.figures.registered_default) without importing training.
from extraction.figures import REGISTRY_FILE, SHIPPED_MODEL as SHIPPED
from extraction.figures import models_dir as default_models_dir


@dataclass
class Entry:
    version: str
    path: str | None                      # folder name under models/, None once removed
    created: str = ""
    status: str = "candidate"             # candidate | promoted | refused | shipped
    metrics: dict = field(default_factory=dict)
    gate: str = ""                        # the gate's verdict, in words
    data: dict = field(default_factory=dict)   # what it was trained on (counts, annotation hashes)
    parent: str | None = None             # the default it was compared with


class Registry:
    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root else default_models_dir()
        self.file = self.root / REGISTRY_FILE
        self.default: str | None = None
        self.entries: list[Entry] = []
        # The fixed evaluation documents ({"doc", "sha256"}), when chosen from the gold (retrain.py).
        self.eval_set: list[dict] | None = None
        if self.file.exists():
            raw = json.loads(self.file.read_text(encoding="utf-8"))
            self.default = raw.get("default")
            self.eval_set = raw.get("eval_set")
            self.entries = [Entry(**e) for e in raw.get("models", [])]
        elif (self.root / SHIPPED).is_dir():  # adopt the shipped model
            self.entries = [shipped_entry(self.root / SHIPPED)]
            self.default = SHIPPED

    # --- reading ---

    def get(self, version: str) -> Entry:
        for e in self.entries:
            if e.version == version:
                return e
        raise KeyError(f"no model {version!r} in {self.file}")

    def path_of(self, version: str) -> Path | None:
        e = self.get(version)
        return self.root / e.path if e.path else None

    def default_path(self) -> Path | None:
        """The default model's folder, or None when there is no default yet."""
        return self.path_of(self.default) if self.default else None

    # --- writing ---

    def next_version(self) -> str:
        n = 1 + sum(1 for e in self.entries if e.version.startswith("v"))
        while any(e.version == f"v{n:03d}" for e in self.entries):
            n += 1
        return f"v{n:03d}"

    def add(self, model_dir: str | Path, metrics: dict, data: dict | None = None,
            version: str | None = None) -> Entry:
        """Copy a trained model folder into the registry as a new candidate version."""
        version = version or self.next_version()
        if any(e.version == version for e in self.entries):
            raise ValueError(f"model {version!r} is already registered")
        self.root.mkdir(parents=True, exist_ok=True)
        if Path(model_dir).resolve() != (self.root / version).resolve():
            shutil.copytree(model_dir, self.root / version)
        entry = Entry(version, version, utc_now(), "candidate", metrics, data=data or {},
                      parent=self.default)
        self.entries.append(entry)
        self.save()
        return entry

    def promote(self, version: str, verdict: str = "") -> None:
        entry = self.get(version)
        if entry.path is None:
            raise ValueError(f"model {version!r} was removed; it cannot be the default")
        entry.status = "promoted"
        entry.gate = verdict or entry.gate
        self.default = version
        self.save()

    def refuse(self, version: str, verdict: str) -> None:
        """Record the gate's refusal and remove the candidate's weights (its entry stays)."""
        entry = self.get(version)
        if version == self.default:
            raise ValueError("the default model cannot be refused")
        entry.status, entry.gate = "refused", verdict
        if entry.path:
            shutil.rmtree(self.root / entry.path, ignore_errors=True)
            entry.path = None
        self.save()

    def set_metrics(self, version: str, metrics: dict) -> None:
        self.get(version).metrics = metrics
        self.save()

    def save(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        raw = {"default": self.default, "models": [e.__dict__ for e in self.entries]}
        if self.eval_set is not None:
            raw["eval_set"] = self.eval_set
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(json.dumps(raw, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(self.file)  # atomic: a crash never leaves half a registry


def default_model_dir(root: str | Path | None = None) -> Path | None:
    """The folder of the registry's default model (what `load_default_model` should load)."""
    return Registry(root).default_path()


def card_metrics(training: dict) -> dict:
    """The model's cross-validated scores from its training.json (what `xxgk models` lists)."""
    cv = (training.get("cv") or {}).get("model") or {}
    metrics = {f"{k}_f1": cv[k]["f1"] for k in ("qty", "item", "field") if isinstance(cv.get(k), dict)}
    if "link_accuracy" in cv:
        metrics["link_accuracy"] = cv["link_accuracy"]
    return metrics


def shipped_entry(folder: Path) -> Entry:
    """The shipped model as a registry entry: its date and scores from its training.json (a
    clone's file times say when it was cloned, not trained)."""
    info_file = folder / "training.json"
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.exists() else {}
    return Entry(SHIPPED, SHIPPED, info.get("trained", "undated"), "shipped", card_metrics(info))


def utc_now() -> str:
    """The time stamp of registry entries and training.json."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
