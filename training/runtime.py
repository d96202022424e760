"""What every training run shares: fixed seeds, bf16 autocast where the CPU has it, a schedule."""
from __future__ import annotations

import random
from contextlib import nullcontext

from extraction.figures.model import bf16_supported, sane_threads


def set_seed(seed: int) -> None:
    """Fixed seeds, and torch threads set for the machine as it is now (sane_threads)."""
    import numpy as np
    import torch
    torch.set_num_threads(sane_threads())
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def use_bf16(requested: bool | None) -> bool:
    """bf16 when asked for, or by default where the CPU runs it natively."""
    return bf16_supported() if requested is None else requested


def autocast(enabled: bool):
    import torch
    return torch.autocast("cpu", dtype=torch.bfloat16) if enabled else nullcontext()


def optimizer_and_schedule(model, lr: float, weight_decay: float, total_steps: int,
                           warmup_ratio: float):
    """AdamW (no decay on biases and LayerNorm) with linear warm-up and linear decay."""
    import torch
    from transformers import get_linear_schedule_with_warmup
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim < 2 else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=lr)
    sched = get_linear_schedule_with_warmup(opt, int(total_steps * warmup_ratio), total_steps)
    return opt, sched


def pad_batch(rows: list[list[int]], pad: int):
    """A (batch, longest) LongTensor of rows padded with `pad`, and its attention mask."""
    import torch
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = 1
    return ids, mask
