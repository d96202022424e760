"""Render the figures of an invented report's narrative with displaCy: docs/figures-displacy.html.

    python tools/displacy_figures.py [-o docs/figures-displacy.html]

Needs the spacy extra. The text is the opening of extraction/samples/qingchuan-2023.txt (an
invented agency and numbers), tagged by the shipped model through the xxgk_figures component.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import spacy
from spacy import displacy

SAMPLE = Path(__file__).resolve().parent.parent / "extraction" / "samples" / "qingchuan-2023.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="docs/figures-displacy.html")
    out = Path(ap.parse_args().output)
    lines = SAMPLE.read_text(encoding="gb18030").splitlines()
    text = "\n".join(lines[lines.index("一、总体情况") + 1:lines.index("二、主动公开政府信息情况")])
    nlp = spacy.blank("zh")
    nlp.add_pipe("xxgk_figures")
    doc = nlp(text)
    html = displacy.render(doc, style="span", page=True,
                           options={"spans_key": "figures", "colors": {"QTY": "#ffd27f", "ITEM": "#a6d8ff"}})
    out.write_text(html, encoding="utf-8")
    print(f"{out}: {sum(s.label_ == 'QTY' for s in doc.spans['figures'])} quantities")


if __name__ == "__main__":
    main()
