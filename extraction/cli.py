"""The `xxgk` command group, assembled here and only here.

Every command is listed by name -> "module:attribute" and its module is imported only when the
command runs or its help is shown (click's lazy-group pattern), so `xxgk extract` never imports
training code. Adding a command is one line in COMMANDS.
"""
from __future__ import annotations

import errno
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
    "distill": "training.cli:distill",
}


# What training needs and extraction does not (pyproject's `train` extra).
TRAIN_EXTRA = ("torch", "transformers", "seqeval", "sklearn")


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

    def invoke(self, ctx):
        """Every command's user errors end as one line (click's "Error: ..."), never a traceback."""
        from .figures.model_folder import ModelFolderError
        from .inputs import InputError
        try:
            return super().invoke(ctx)
        except (InputError, ModelFolderError) as e:
            raise click.ClickException(str(e)) from e
        except ModuleNotFoundError as e:
            if (e.name or "").split(".")[0] not in TRAIN_EXTRA:
                raise
            raise click.ClickException(
                f"this needs {e.name}, which comes with the train extra: pip install torch==2.13.0 "
                "(the CPU build) and then pip install 'xxgk[train]'") from e
        except OSError as e:
            if e.errno == errno.EPIPE:  # `xxgk extract ... | head`: click ends quietly
                raise
            raise click.ClickException(os_error_line(e)) from e


def os_error_line(e: OSError) -> str:
    """A read-only folder, a full disk: what could not be done, where; a re-run resumes."""
    where = f"{e.filename}: " if e.filename else ""
    return f"{where}{e.strerror or e} (nothing half-written was kept; free the space or fix the " \
           f"permission and run again)"


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
