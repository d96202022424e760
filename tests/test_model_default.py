"""The shipped model: found, loaded (safetensors), and tagging a sentence written here."""
from extraction.document import document_from_text
from extraction.figures import default_model_dir, find_figures, load_default_model

SENTENCE = "2023年，本局通过门户网站主动公开政府信息1234条，其中政务动态56条，政策解读7篇，均在20个工作日内办结。"


def test_default_model_is_the_shipped_folder():
    folder = default_model_dir()
    assert folder is not None and (folder / "model.safetensors").exists()
    assert (folder / "README.md").exists() and (folder / "field_classifier.json").exists()


def test_load_default_model_tags_a_sentence():
    tagger = load_default_model()
    spans = tagger.tag([SENTENCE])[0]
    qtys = {s["text"] for s in spans if s["label"] == "QTY"}
    assert {"1234条", "56条", "7篇"} <= qtys
    assert not qtys & {"2023年", "20个"}


def test_find_figures_gives_output_md_figures():
    tagger = load_default_model()
    doc = document_from_text(SENTENCE)
    figures, checks = find_figures(doc, [], tagger, tables_values={})
    by_qty = {f["qty"]: f for f in figures}
    f = by_qty["1234条"]
    assert (f["value"], f["unit"], f["by"]) == (1234, "条", "model")
    assert doc.text[f["start"]:f["end"]] == "1234条"
    assert f["item"] == doc.text[f["item_start"]:f["item_end"]] and "政府信息" in f["item"]
    assert 0 < f["score"] <= 1
    assert isinstance(checks, list)
