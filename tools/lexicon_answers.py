"""What the field lexicon answers on every gold pair of the shared narrative gold (dev +
narrative-2): `python -m tools.lexicon_answers OUT.jsonl` writes them, `--compare OLD.jsonl`
also says where they differ from an earlier run (e.g. before a refactor of the field rules).

One line per pair: document, item and quantity offsets, the gold field, and the lexicon's
opinion (a field, "null" for "no field", None for no opinion).
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from extraction.figures.fields import PairContext, lexicon_opinion

GOLD = (("narrative-dev.jsonl", "narrative"), ("narrative-2.jsonl", "narrative-2"))


def answers(shared: Path) -> list[dict]:
    from training.gold import read_gold
    out = []
    for gold, texts in GOLD:
        for d in read_gold(shared / "gold" / gold, shared / "corpus" / texts):
            for q in d.qtys:
                item = d.item_of(q)
                if item is None:
                    continue
                ctx = PairContext.from_text(d.text, item["start"], item["end"], q["start"], q["end"],
                                            item["text"], q["unit"])
                out.append({"doc": f"{texts}/{d.doc}", "item": [item["start"], item["end"]],
                            "qty": [q["start"], q["end"]], "gold": q.get("field"),
                            "lexicon": lexicon_opinion(ctx)})
    return out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--compare", type=Path, help="an earlier output to compare with")
    p.add_argument("--shared", type=Path,
                   default=Path(os.environ.get("XXGK_SHARED", Path(__file__).resolve().parents[2] / "shared")))
    args = p.parse_args(argv)
    found = answers(args.shared)
    args.out.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in found), encoding="utf-8")
    right = sum(a["lexicon"] not in (None, "null") and a["lexicon"] == a["gold"] for a in found)
    print(f"{len(found)} gold pairs; the lexicon names the gold field of {right}")
    if args.compare:
        old = [json.loads(line) for line in args.compare.read_text(encoding="utf-8").splitlines()]
        differ = [(a, b) for a, b in zip(old, found) if a != b]
        print(f"against {args.compare}: {len(old)} pairs there, {len(found)} here, {len(differ)} answers differ")
        for a, b in differ[:20]:
            print(f"  {a['doc']} item {a['item']}: {a['lexicon']} -> {b['lexicon']}")


if __name__ == "__main__":
    main()
