"""The `xxgk` command group, assembled here and only here.

Every command is listed by name -> "module:attribute" and its module is imported only when the
command runs or its help is shown (click's lazy-group pattern), so `xxgk extract` never imports
training code. Adding a command is one line in COMMANDS.
"""
from __future__ import annotations

import importlib

import click

COMMANDS = {
    "extract": "extraction.commands:extract",
    "text": "extraction.commands:text",
    "batch": "extraction.batch.command:batch",
    "review": "extraction.review.command:review",
    "compare": "extraction.compare.command:compare",
    "annotate": "extraction.annotate.cli:annotate",
    "models": "training.cli:models",
    "pretrain": "training.cli:pretrain",
    "train": "training.cli:train",
    "evaluate": "training.cli:evaluate",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (name -> "module:attribute")."""

    def __init__(self, *args, lazy_commands: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_commands))

    def get_command(self, ctx, name):
        if name in self.lazy_commands and name not in self.commands:
            module, attribute = self.lazy_commands[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, lazy_commands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xxgk")
def main():
    """xxgk: turn 政府信息公开工作年度报告 (government information-disclosure annual reports)
    into checked data.

    Reads TXT (any Chinese encoding), HTML, DOCX, text-layer PDF, Markdown (and DOC/WPS through
    LibreOffice), extracts the three template tables into canonical keys, tags the narrative
    figures, and checks every consistency rule (勾稽关系) without changing a number. The records
    written are described in docs/record.md.
    """


if __name__ == "__main__":
    main()
