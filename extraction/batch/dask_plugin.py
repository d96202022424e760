"""Dask worker plugin that loads the figure model once, when a worker starts (or joins later).

Its own module, so that importing the local engine does not import distributed.
"""
from __future__ import annotations

from distributed import WorkerPlugin

from .run import init_worker


class ModelPlugin(WorkerPlugin):
    name = "xxgk-figure-model"

    def __init__(self, model_dir: str | None, figures: bool):
        self.model_dir = model_dir
        self.figures = figures

    def setup(self, worker):
        init_worker(self.model_dir, self.figures)
