"""The blind "fresh" figure gold of issue 11, rebuilt: 45 openings of ../shared/corpus/unlabelled
annotated for this project, blind to the system (model card: "Unseen first").

    python -m tools.fresh_gold OUT.jsonl [--shared ../shared]
    xxgk evaluate --gold OUT.jsonl --texts ../shared/corpus/unlabelled --model models/xxgk-figures

The repository keeps only offsets, labels, values and fields (training/eval/fresh45.offsets.jsonl),
never report text: this puts each span's text back from the shared texts, checking each text's
sha256, and writes gold in annotation.md's format.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.corpus import default_shared_dir
from training.gold import read_gold

OFFSETS = Path(__file__).resolve().parent.parent / "training" / "eval" / "fresh45.offsets.jsonl"


def rebuild(shared: Path, out: Path) -> int:
    # read_gold puts each span's text back and refuses a text whose sha256 changed
    docs = read_gold(OFFSETS, shared / "corpus" / "unlabelled")
    out.write_text("".join(json.dumps({"doc": d.doc, "sha256": d.sha256, "spans": d.spans},
                                      ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return len(docs)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--shared", type=Path, default=default_shared_dir())
    a = ap.parse_args(argv)
    print(f"{rebuild(a.shared, a.out)} documents written to {a.out}")


if __name__ == "__main__":
    main()
