"""Narrative figures (issue 3). Placeholder until the figure model lands."""
from __future__ import annotations


def load_default_model(model_dir=None):
    return None
