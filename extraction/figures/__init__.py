"""Narrative figures (issue 3): the model tags QTY/ITEM spans, the rule layer links and maps them.

`load_default_model()` finds the shipped model folder; `find_figures()` runs it over a
document's narrative and returns output.md `figures` plus narrative-vs-table checks.

Where the model is found, first hit wins:
1. the folder passed in (`xxgk extract --model DIR`),
2. `$XXGK_MODEL`,
3. the registry's default under `models/` (the `default` of models/registry.json, which
   training writes; else the shipped `models/xxgk-figures/`). `models/` is the repository's
   (a checkout or an editable install) or, in an installed wheel, `extraction/models/`, where
   the build puts the shipped model (setup.py). Without a model, figures come from the rules
   alone (`"by": "rule"`) and the record says so in `warnings`.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

SHIPPED_MODEL = "xxgk-figures"
SHIPPED_BASE = "xxgk-charbert-base"
REGISTRY_FILE = "registry.json"  # models/registry.json: the registry of training/registry.py


def models_dir() -> Path:
    """`models/`: inside the installed package (a wheel), else at the repository root."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "models"
    return installed if installed.is_dir() else package.parent / "models"


def default_model_dir() -> Path | None:
    env = os.environ.get("XXGK_MODEL")
    if env:
        return Path(env)
    try:
        found = registered_default(models_dir())[1]
    except Exception as e:  # a broken registry must not stop extraction: fall back, say why
        log.warning("model registry unreadable (%s); using the shipped model", e)
        found = None
    shipped = models_dir() / SHIPPED_MODEL
    if found is not None and found.is_dir():
        return found
    return shipped if shipped.is_dir() else None


def registered_default(root: Path) -> tuple[str | None, Path | None]:
    """(name, folder) of the default model in `root`/registry.json (written by training.registry);
    the shipped model when there is no registry yet, (None, None) when neither is there."""
    registry = root / REGISTRY_FILE
    if not registry.exists():
        return (SHIPPED_MODEL, root / SHIPPED_MODEL) if (root / SHIPPED_MODEL).is_dir() else (None, None)
    raw = json.loads(registry.read_text(encoding="utf-8"))
    name = raw.get("default")
    path = next((e.get("path") for e in raw.get("models", []) if e.get("version") == name), None)
    return name, (root / path if name and path else None)


def default_model_name() -> str | None:
    """The name of the model `xxgk extract` uses by default (for task metadata and messages)."""
    env = os.environ.get("XXGK_MODEL")
    if env:
        return Path(env).resolve().name
    return registered_default(models_dir())[0]


def default_base_dir() -> Path:
    """The pre-trained (not fine-tuned) character BERT that training starts from."""
    return models_dir() / SHIPPED_BASE


def load_default_model(model_dir=None, settings=None, field_encoder: str | None = None):
    """The figure tagger from `model_dir`, else the default model; None when there is none.
    `settings`: its TaggerSettings (None: defaults); `field_encoder`: a command's --field-encoder,
    over settings.field_encoder (the folder's field classifier that also reads that encoder)."""
    from .model import FigureTagger, TaggerSettings
    if field_encoder:
        from dataclasses import replace
        settings = replace(settings or TaggerSettings(), field_encoder=field_encoder)
    encoder = settings.field_encoder if settings else None
    if model_dir is None:
        model_dir = default_model_dir()
        if model_dir is None and not encoder:
            log.warning("no figure model found (set XXGK_MODEL); figures come from the rules only")
            return None
    check_field_encoder(model_dir, encoder)  # before the tagger loads
    from .fields import FieldMapper
    from .model_folder import ModelFolderError
    try:
        tagger = FigureTagger.load(model_dir, settings)
        tagger.field_mapper = FieldMapper.from_dir(model_dir, encoder)
    except ModelFolderError:
        raise
    except (OSError, ValueError, KeyError, TypeError, MemoryError, RuntimeError) as e:
        # what transformers / tokenizers raise on a folder they cannot use: one line, no traceback
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise ModelFolderError(f"{model_dir}: the figure model does not load "
                               f"({type(e).__name__}: {first})") from e
    return tagger


def check_field_encoder(model_dir, encoder: str | None) -> None:
    """With `encoder` (a --field-encoder): ModelFolderError, one line the CLI shows, unless the
    model folder (None: the default model) has its classifier (field_classifier.e5.json) and the
    encoder is installed. Commands call it (load_default_model does) before any work starts."""
    if not encoder:
        return
    from .embeddings import EncoderUnavailable
    from .fields import encoder_classifier_file
    from .model_folder import ModelFolderError
    model_dir = model_dir or default_model_dir()
    if model_dir is None:
        raise ModelFolderError(f"--field-encoder {encoder}: no figure model found to read it with "
                               "(give --model DIR, or set XXGK_MODEL)")
    try:
        encoder_classifier_file(model_dir, encoder)
    except (FileNotFoundError, EncoderUnavailable) as e:
        raise ModelFolderError(str(e)) from None


def find_figures(doc, sections, model=None, tables_values: dict | None = None):
    """(figures, checks) for a document: spans by the model (or the rules when model is None)
    over its narrative regions, linked, normalised and mapped to fields; checks compare exact
    narrative figures with the tables (crosscheck.py)."""
    from .crosscheck import crosscheck
    from .figures import figures_from_spans
    from .narrative import narrative_regions
    regions = narrative_regions(doc, sections)
    if model is not None:
        spans = [s for found in model.tag([(doc.text[a:b], a) for a, b in regions]) for s in found]
        figures = figures_from_spans(doc.text, spans, by="model",
                                     mapper=getattr(model, "field_mapper", None))
    else:
        from .weak import weak_spans
        figures = figures_from_spans(doc.text, weak_spans(doc.text, regions), by="rule")
    checks = crosscheck(figures, tables_values or {}, doc.text, regions)
    return figures, checks
