"""The figure model at run time: a BERT token classifier in numpy, read from its Hugging Face folder.

Importing torch and transformers costs seconds (more than the whole extraction of a report); the
shipped model is a 2.6 MB BERT whose forward pass is a few matrix products. So extraction reads
the folder's `config.json`, `model.safetensors` (safetensors' numpy loader) and `tokenizer.json`
(the `tokenizers` package) and computes the same logits as `BertForTokenClassification`
(tests/test_encoder.py compares them to 1e-5). Everything the model is — sizes, labels, how many
hint types it reads — comes from its config. Training keeps transformers' `from_pretrained`; a
folder that is not a BERT token classifier is loaded through transformers here too (slow start).
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np

RUNS_HERE = ("BertForTokenClassification",)


def runs_here(config: dict) -> bool:
    """True when this module computes the model (else transformers must)."""
    return (config.get("model_type") == "bert" and tuple(config.get("architectures") or ()) == RUNS_HERE
            and config.get("position_embedding_type", "absolute") == "absolute")


def erf(x: np.ndarray) -> np.ndarray:
    """erf to 1.5e-7 (Abramowitz & Stegun 7.1.26): numpy has none, and scipy's import is slow."""
    sign = np.sign(x)
    a = np.abs(x).astype(np.float64)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(x.dtype)


ACTIVATIONS = {
    "gelu": lambda x: 0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0)))),
    "gelu_new": lambda x: 0.5 * x * (1.0 + np.tanh(np.float32(np.sqrt(2.0 / np.pi)) * (x + 0.044715 * x ** 3))),
    "relu": lambda x: np.maximum(x, 0),
}
ACTIVATIONS["gelu_pytorch_tanh"] = ACTIVATIONS["gelu_new"]


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


class BertTokenClassifier:
    """`BertForTokenClassification` in inference: `model(input_ids, token_type_ids, attention_mask)`
    (integer arrays, batch x length) gives the logits (batch x length x num_labels)."""

    def __init__(self, config: dict, weights: dict[str, np.ndarray], threads: int = 1):
        self.config = SimpleNamespace(**config)  # read as transformers' config is: getattr(config, k)
        if config.get("hidden_act", "gelu") not in ACTIVATIONS:
            raise ValueError(f"hidden_act {config.get('hidden_act')!r} is not one this runtime computes")
        self.act = ACTIVATIONS[config.get("hidden_act", "gelu")]
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.heads = int(config["num_attention_heads"])
        self.w = weights
        self.threads = threads  # BLAS threads: more than the idle cores makes them wait on each other

    @classmethod
    def from_dir(cls, model_dir: str | Path, threads: int = 1) -> "BertTokenClassifier":
        from safetensors.numpy import load_file
        model_dir = Path(model_dir)
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        return cls(config, load_file(model_dir / "model.safetensors"), threads)

    def eval(self):  # FigureTagger treats every model alike
        return self

    def linear(self, x, name):
        """The linear layer `name` of the weights applied to x (..., in) -> (..., out)."""
        # One 2-D product: numpy runs a 3-D `@` as many small ones, 10-30x slower here.
        flat = x.reshape(-1, x.shape[-1]) @ self.w[name + ".weight"].T + self.w[name + ".bias"]
        return flat.reshape(*x.shape[:-1], -1)

    def _norm(self, x, name):
        return layer_norm(x, self.w[name + ".weight"], self.w[name + ".bias"], self.eps)

    def __call__(self, input_ids, token_type_ids=None, attention_mask=None) -> np.ndarray:
        return self.linear(self.hidden(input_ids, token_type_ids, attention_mask), "classifier")

    def hidden(self, input_ids, token_type_ids=None, attention_mask=None) -> np.ndarray:
        """The encoder's last hidden states (batch x length x hidden)."""
        from threadpoolctl import threadpool_limits
        with threadpool_limits(self.threads):
            return self._encode(input_ids, token_type_ids, attention_mask)

    def _encode(self, input_ids, token_type_ids, attention_mask) -> np.ndarray:
        w = self.w
        input_ids = np.asarray(input_ids)
        n, length = input_ids.shape
        types = np.zeros_like(input_ids) if token_type_ids is None else np.asarray(token_type_ids)
        mask = np.ones_like(input_ids) if attention_mask is None else np.asarray(attention_mask)
        e = "bert.embeddings."
        x = (w[e + "word_embeddings.weight"][input_ids] + w[e + "token_type_embeddings.weight"][types]
             + w[e + "position_embeddings.weight"][:length][None])
        x = self._norm(x, e + "LayerNorm")
        # Padding takes no attention: the same additive mask as transformers' (the dtype's minimum).
        bias = ((1.0 - mask[:, None, None, :]) * np.finfo(np.float32).min).astype(np.float32)
        dim = x.shape[-1] // self.heads
        for i in range(int(self.config.num_hidden_layers)):
            p = f"bert.encoder.layer.{i}."

            def split(t):  # batch x length x hidden -> batch x heads x length x dim
                return t.reshape(n, length, self.heads, dim).transpose(0, 2, 1, 3)

            q, k, v = (split(self.linear(x, p + "attention.self." + m)) for m in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(dim)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            ctx = (scores / scores.sum(-1, keepdims=True)) @ v
            ctx = ctx.transpose(0, 2, 1, 3).reshape(n, length, -1)
            x = self._norm(self.linear(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = self.act(self.linear(x, p + "intermediate.dense"))
            x = self._norm(self.linear(h, p + "output.dense") + x, p + "output.LayerNorm")
        return x


class Tokenizer:
    """The folder's `tokenizer.json` through the `tokenizers` package, called as transformers'
    fast tokenizer is (`tok(text, add_special_tokens=False, return_offsets_mapping=True)`)."""

    def __init__(self, model_dir: str | Path):
        from tokenizers import Tokenizer as Rust
        model_dir = Path(model_dir)
        self.rust = Rust.from_file(str(model_dir / "tokenizer.json"))
        special = {"cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]"}
        cfg_file = model_dir / "tokenizer_config.json"
        if cfg_file.exists():
            cfg = json.loads(cfg_file.read_text(encoding="utf-8"))
            special.update({k: cfg[k] for k in special if isinstance(cfg.get(k), str)})
        ids = {k: self.rust.token_to_id(v) for k, v in special.items()}
        if None in ids.values():
            raise ValueError(f"{model_dir}/tokenizer.json lacks a special token of {sorted(special.values())}")
        self.cls_token_id, self.sep_token_id, self.pad_token_id = (
            ids["cls_token"], ids["sep_token"], ids["pad_token"])

    def __call__(self, text: str, add_special_tokens: bool = True, return_offsets_mapping: bool = False):
        enc = self.rust.encode(text, add_special_tokens=add_special_tokens)
        out = {"input_ids": enc.ids}
        if return_offsets_mapping:
            out["offset_mapping"] = enc.offsets
        return out
