"""The figure tagger as a spaCy component (the `spacy` extra):

    nlp = spacy.blank("zh")
    nlp.add_pipe("xxgk_figures")                      # or config={"model": "path/to/model"}
    doc = nlp("本年度主动公开政府信息共4147余条。")
    for span in doc.spans["figures"]:                 # QTY and ITEM spans
        print(span.label_, span.text, span._.value, span._.unit, span._.field)

A thin wrapper: the shipped model (or the folder given) tags the text and the rule layer links,
normalises and maps each quantity (figures.figures_from_spans), as `xxgk extract` does for a
report's narrative. Each QTY span carries `value`, `unit`, `approx`, `field`, `field_score` (the
field classifier's probability of its decision) and `item` (the text of the ITEM span it counts,
None when none) as `span._.<name>`. Registered through the
`spacy_factories` entry point, so an installed xxgk needs no import before `add_pipe`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .figures import load_default_model
from .figures.figures import figures_from_spans

ATTRIBUTES = ("value", "unit", "approx", "field", "field_score", "item")
for _name in ATTRIBUTES:
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


@Language.factory("xxgk_figures", default_config={"model": None, "spans_key": "figures"})
def make_figures(nlp: Language, name: str, model: str | None, spans_key: str) -> "FiguresComponent":
    return FiguresComponent(model, spans_key)


class FiguresComponent:
    def __init__(self, model: str | None = None, spans_key: str = "figures"):
        self.tagger = load_default_model(model)
        if self.tagger is None:
            raise ValueError("no figure model found: pass config={'model': DIR} or set XXGK_MODEL")
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans = self.tagger.tag([doc.text])[0]
        figures = figures_from_spans(doc.text, spans, by="model", mapper=self.tagger.field_mapper)
        out: dict[tuple, Span] = {}
        for f in figures:
            qty = doc.char_span(f["start"], f["end"], label="QTY", alignment_mode="expand")
            if qty is None:
                continue
            for name in ATTRIBUTES:
                setattr(qty._, name, f[name])
            out[("QTY", f["start"], f["end"])] = qty
            if f["item_start"] is not None and ("ITEM", f["item_start"], f["item_end"]) not in out:
                item = doc.char_span(f["item_start"], f["item_end"], label="ITEM", alignment_mode="expand")
                if item is not None:
                    out[("ITEM", f["item_start"], f["item_end"])] = item
        doc.spans[self.spans_key] = sorted(out.values(), key=lambda s: (s.start_char, s.label_))
        return doc
