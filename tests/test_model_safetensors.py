"""The tagger loads safetensors weights only; a folder with only a pickle weight file is refused."""
import pytest
import torch
from transformers import BertConfig, BertForTokenClassification

from extraction.figures.labels import LABELS
from extraction.figures.model import FigureTagger
from training.vocab import build_vocab, make_tokenizer, save_tokenizer


def tiny_model_folder(path, safe: bool):
    tok = make_tokenizer(build_vocab(["主动公开政府信息12条"]))
    config = BertConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, num_labels=len(LABELS),
                        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})
    model = BertForTokenClassification(config)
    save_tokenizer(tok, path)
    if safe:
        model.save_pretrained(path, safe_serialization=True)
    else:
        config.save_pretrained(path)
        torch.save(model.state_dict(), path / "pytorch_model.bin")  # a pickle file
    return path


def test_refuses_a_pickle_only_folder(tmp_path):
    folder = tiny_model_folder(tmp_path, safe=False)
    with pytest.raises(ValueError, match="pickle"):
        FigureTagger.load(folder)


def test_refuses_a_folder_without_weights(tmp_path):
    from extraction.figures.model_folder import ModelFolderError
    with pytest.raises(ModelFolderError, match="no model"):
        FigureTagger.load(tmp_path)


def test_loads_safetensors(tmp_path):
    tagger = FigureTagger.load(tiny_model_folder(tmp_path, safe=True))
    spans = tagger.tag(["主动公开政府信息12条"])[0]
    assert all({"label", "start", "end", "text", "score"} <= set(s) for s in spans)
