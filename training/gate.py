"""The regression gate: may a retrained model replace the default?

Both models are scored on the same fixed evaluation documents. A measure has fallen "beyond
noise" when the candidate is worse on it in at least `confidence` of paired bootstrap resamples
of those documents — i.e. the one-sided upper bound of the change is below zero. Resampling
documents (not characters) is how the score would move if we had annotated other reports of the
same kind; pairing (the same resample for both models) cancels what the two share. The gate
promotes only when no measure has fallen; when it refuses, it names every measure that fell,
with both numbers.

What this does not cover: the noise of training itself (another seed, the same data). Where the
two models' scores differ by less than a training rerun would, the bootstrap may still call a
consistent small drop real; that errs on the side of keeping the default.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Sequence

# measures(docs) -> {name: value}, higher is better; docs are whatever one evaluation item is
# (e.g. a (gold document, predicted spans) pair).
Measures = Callable[[Sequence], dict]


@dataclass
class GateSettings:
    resamples: int = 1000
    confidence: float = 0.95   # the share of resamples in which the candidate must be worse
    seed: int = 13             # fixed: the same two models always get the same verdict

    def __post_init__(self):
        if not 0.5 <= self.confidence < 1:
            raise ValueError(f"confidence must be in [0.5, 1), got {self.confidence}")
        if self.resamples < 100:
            raise ValueError(f"use at least 100 resamples, got {self.resamples}")


@dataclass
class MeasureChange:
    name: str
    baseline: float
    candidate: float
    upper: float          # the one-sided upper bound of (candidate - baseline)
    worse_share: float    # share of resamples in which the candidate scored lower
    fell: bool

    def describe(self) -> str:
        return (f"{self.name} fell from {self.baseline:.3f} to {self.candidate:.3f} "
                f"({self.candidate - self.baseline:+.3f}; worse in {self.worse_share:.0%} of "
                f"bootstrap resamples, upper bound {self.upper:+.3f})")


@dataclass
class Verdict:
    promote: bool
    changes: list[MeasureChange] = field(default_factory=list)
    n_docs: int = 0

    @property
    def fallen(self) -> list[MeasureChange]:
        return [c for c in self.changes if c.fell]

    def describe(self) -> str:
        if not self.promote:
            return "refused: " + "; ".join(c.describe() for c in self.fallen)
        moves = ", ".join(f"{c.name} {c.baseline:.3f} -> {c.candidate:.3f}" for c in self.changes)
        return f"promoted: no measure fell beyond noise over {self.n_docs} documents ({moves})"


def compare(baseline: Sequence, candidate: Sequence, measures: Measures,
            settings: GateSettings | None = None) -> Verdict:
    """Gate `candidate` against `baseline`: two per-document evaluation lists, aligned (item i
    of both is the same document)."""
    settings = settings or GateSettings()
    if len(baseline) != len(candidate):
        raise ValueError("baseline and candidate must be scored on the same documents")
    n = len(baseline)
    if n == 0:
        raise ValueError("no evaluation documents")
    base_all, cand_all = measures(baseline), measures(candidate)
    rng = random.Random(settings.seed)
    deltas: dict[str, list[float]] = {name: [] for name in base_all}
    for _ in range(settings.resamples):
        idx = [rng.randrange(n) for _ in range(n)]
        b = measures([baseline[i] for i in idx])
        c = measures([candidate[i] for i in idx])
        for name in deltas:
            deltas[name].append(c[name] - b[name])
    changes = []
    for name, ds in deltas.items():
        ds.sort()
        upper = ds[min(len(ds) - 1, int(settings.confidence * len(ds)))]
        worse = sum(d < 0 for d in ds) / len(ds)
        fell = cand_all[name] < base_all[name] and upper < 0
        changes.append(MeasureChange(name, base_all[name], cand_all[name], upper, worse, fell))
    return Verdict(not any(c.fell for c in changes), changes, n)
