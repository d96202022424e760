"""The run-time BERT (numpy, extraction/figures/encoder.py) computes transformers' logits."""
import numpy as np
import pytest
import torch
from transformers import AutoModelForTokenClassification, AutoTokenizer, BertConfig, BertForTokenClassification

from extraction.figures import default_model_dir
from extraction.figures.encoder import BertTokenClassifier, Tokenizer
from extraction.figures.model import FigureTagger, TaggerSettings

TEXT = "2025年，本机关主动公开政府信息共4147余条，收到政府信息公开申请12件，全部按时答复。\n二、 其他"


def batch(tok, texts):
    rows = [[tok.cls_token_id, *tok(t, add_special_tokens=False)["input_ids"], tok.sep_token_id] for t in texts]
    width = max(map(len, rows))
    ids = np.full((len(rows), width), tok.pad_token_id, dtype=np.int64)
    mask = np.zeros_like(ids)
    for r, row in enumerate(rows):
        ids[r, :len(row)], mask[r, :len(row)] = row, 1
    types = np.random.default_rng(0).integers(0, 3, ids.shape) * mask  # hint ids, as the tagger feeds them
    return ids, types, mask


def same_logits(folder):
    hf = AutoModelForTokenClassification.from_pretrained(folder).eval()
    ours = BertTokenClassifier.from_dir(folder)
    tok = Tokenizer(folder)
    hf_tok = AutoTokenizer.from_pretrained(folder)
    assert tok(TEXT, add_special_tokens=False, return_offsets_mapping=True) == {
        k: list(map(tuple, v)) if k == "offset_mapping" else v
        for k, v in hf_tok(TEXT, add_special_tokens=False, return_offsets_mapping=True).items()
        if k in ("input_ids", "offset_mapping")}
    ids, types, mask = batch(tok, [TEXT, TEXT[:20], "申请"])
    with torch.inference_mode():
        want = hf(input_ids=torch.from_numpy(ids), token_type_ids=torch.from_numpy(types),
                  attention_mask=torch.from_numpy(mask)).logits.numpy()
    got = ours(ids, types, mask)
    live = mask.astype(bool)  # padded positions are never read
    np.testing.assert_allclose(got[live], want[live], atol=1e-5, rtol=0)


def test_shipped_model_logits():
    folder = default_model_dir()
    if folder is None:
        pytest.skip("no shipped model in this checkout")
    same_logits(folder)


def test_random_tiny_model_logits(tmp_path):
    from training.vocab import build_vocab, make_tokenizer, save_tokenizer
    torch.manual_seed(0)
    tok = make_tokenizer(build_vocab([TEXT]))
    config = BertConfig(vocab_size=len(tok), hidden_size=24, num_hidden_layers=3, num_attention_heads=3,
                        intermediate_size=40, type_vocab_size=4, num_labels=7,
                        id2label={i: f"L{i}" for i in range(7)}, label2id={f"L{i}": i for i in range(7)})
    model = BertForTokenClassification(config)
    with torch.no_grad():  # far from the init's small weights, so a wrong op shows
        for p in model.parameters():
            p.normal_(0, 0.5)
    model.save_pretrained(tmp_path, safe_serialization=True)
    save_tokenizer(tok, tmp_path)
    same_logits(tmp_path)


def test_tagger_runs_without_torch_on_the_shipped_model():
    folder = default_model_dir()
    if folder is None:
        pytest.skip("no shipped model in this checkout")
    tagger = FigureTagger.load(folder, TaggerSettings())
    assert isinstance(tagger.model, BertTokenClassifier)
    assert tagger.labels == [tagger.model.config.id2label[str(k)] for k in range(len(tagger.labels))]
    spans = tagger.tag([TEXT])[0]
    assert any(s["label"] == "QTY" and s["text"].startswith("4147") for s in spans)
