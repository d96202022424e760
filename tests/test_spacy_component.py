"""The spaCy component: `spacy.blank("zh").add_pipe("xxgk_figures")`, found through its entry point
(the test imports nothing of xxgk before add_pipe), tags QTY and ITEM spans with the shipped model
and carries each quantity's value, unit, approx, field and item."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy", reason="the spaCy component is the spacy extra: pip install -e '.[spacy]'")

REPO = Path(__file__).resolve().parent.parent
# Invented: no such agency.
TEXT = "2024年，白水镇人民政府主动公开政府信息共4147余条，收到政府信息公开申请12件，均按时答复。"


def test_entry_point_registers_the_factory_in_a_fresh_interpreter():
    code = ("import spacy\nnlp = spacy.blank('zh')\nnlp.add_pipe('xxgk_figures')\n"
            f"doc = nlp({TEXT!r})\nprint(sorted({{s.label_ for s in doc.spans['figures']}}))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, cwd="/")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[-2] == "['ITEM', 'QTY']"


def test_spans_carry_the_figures(tmp_path):
    from extraction.figures import default_model_dir
    nlp = spacy.blank("zh")
    nlp.add_pipe("xxgk_figures", config={"model": str(default_model_dir())})
    doc = nlp(TEXT)
    spans = doc.spans["figures"]
    qty = {s.text: s for s in spans if s.label_ == "QTY"}
    items = {s.text for s in spans if s.label_ == "ITEM"}
    total = qty["4147余条"]
    assert (total._.value, total._.unit, total._.approx) == (4147, "条", True)
    assert total._.field == "proactive_total" and "政府信息" in total._.item and total._.item in items
    assert 0.5 < total._.field_score <= 1  # the shipped classifier decided it, and is sure
    assert qty["12件"]._.value == 12 and not qty["12件"]._.approx
    assert "2024年" not in qty
    from spacy import displacy
    html = displacy.render(doc, style="span", options={"spans_key": "figures"}, page=True)
    assert "QTY" in html and "ITEM" in html


def test_a_folder_without_a_model_is_a_clear_error(tmp_path):
    nlp = spacy.blank("zh")
    with pytest.raises(Exception, match="no model"):
        nlp.add_pipe("xxgk_figures", config={"model": str(tmp_path)})
