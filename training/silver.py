"""Silver training data: the weak labeller's spans (extraction.figures.weak) over the narrative
of every shared report that is not in the dev gold."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from extraction.figures.figures import figures_from_spans
from extraction.figures.narrative import narrative_regions
from extraction.figures.weak import weak_spans
from extraction.readers import read

from .corpus import corpus_files, default_shared_dir
from .gold import GoldDoc

log = logging.getLogger(__name__)


def silver_corpus(shared=None, exclude=None, fields: bool = False) -> list:
    """Silver documents: the weak labeller's spans over the narrative of the shared reports.

    Sources: seeds, corpus/reports (through the readers) and corpus/narrative (never holdout).
    One `training.gold.GoldDoc` per narrative region, named "file#start-end", its offsets
    relative to the region's text. With `fields`, QTY spans also get the rule layer's field.

    `exclude` names files to leave out. By default it is every document of the dev gold: a
    gold document has better labels than silver, and a CV fold's test document must never be
    trained on, not even with rule labels (every corpus/narrative text is in the dev gold, so
    the default silver is the seeds and corpus/reports). Pass `exclude=()` to include them all.
    """
    shared = Path(shared) if shared else default_shared_dir()
    exclude = set(dev_gold_names(shared) if exclude is None else exclude)
    docs = []
    for path in corpus_files(shared):
        if path.name in exclude:
            continue
        try:
            doc = read(path)
        except Exception as e:  # one unreadable file must not stop silver data
            log.warning("silver: skipping %s: %s", path.name, e)
            continue
        for a, b in narrative_regions(doc):
            region = doc.text[a:b]
            spans = weak_spans(region)
            if fields:
                by_start = {f["start"]: f for f in figures_from_spans(region, spans, by="rule")}
                for s in spans:
                    if s["label"] == "QTY" and s["start"] in by_start:
                        s["field"] = by_start[s["start"]]["field"]
            docs.append(GoldDoc(f"{path.name}#{a}-{b}", region, spans))
    return docs


def dev_gold_names(shared) -> set[str]:
    """File names of the narrative dev gold's documents (empty when there is no gold file)."""
    path = Path(shared) / "gold" / "narrative-dev.jsonl"
    if not path.exists():
        return set()
    return {json.loads(line)["doc"] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()}
