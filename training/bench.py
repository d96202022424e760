"""Tagging speed of a figure model: `python -m training.bench [--model DIR] [--repeat N]`.

Tags every narrative text of the shared corpus (or, without it, invented sentences) and prints
characters per second, with and without the rule hints' share (the weak labeller's time).
Speed depends on what else runs on the machine: the load average is printed beside it.
"""
from __future__ import annotations

import os
import time

import click


@click.command()
@click.option("--model", "model_dir", default=None, help="Model folder (default: the shipped model).")
@click.option("--repeat", default=3, show_default=True, help="Passes over the texts; the best is reported.")
@click.option("--threads", type=int, default=None, help="Torch threads (default: sane_threads()).")
def main(model_dir, repeat, threads):
    from extraction.figures import load_default_model
    from training.corpus import default_shared_dir

    tagger = load_default_model(model_dir)
    if threads:
        import torch
        torch.set_num_threads(threads)
    narrative = default_shared_dir() / "corpus" / "narrative"
    if narrative.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(narrative.glob("*.txt"))]
    else:
        texts = ["本机关2023年主动公开政府信息1234条，其中政务动态56条，政策解读7篇。" * 20] * 50
    n = sum(map(len, texts))
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        tagger.tag(texts)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    from extraction.figures.weak import weak_spans
    started = time.perf_counter()
    for t in texts:
        weak_spans(t)
    rules = time.perf_counter() - started
    import torch
    click.echo(f"{n} characters in {best:.2f} s: {n / best:,.0f} characters/s "
               f"(rule hints {n / rules:,.0f} characters/s alone; bf16 {tagger.bf16}, "
               f"threads {torch.get_num_threads()}, load average {os.getloadavg()[0]:.1f} "
               f"on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
