"""Developer tools run from the repository root (`python -m tools.NAME`): benchmarks.

Not part of the installed package; nothing under extraction/ or training/ imports them."""
