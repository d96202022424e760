"""The one thing pyproject.toml cannot say: the shipped model, kept in `models/` at the top of
the repository, goes into the wheel as `extraction/models/xxgk-figures/` (a package-dir mapping),
where `extraction.figures.models_dir()` finds it in an installed xxgk. The figure decoder's word
list (`extraction/figures/words.txt`) is package data too."""
from setuptools import find_packages, setup

SHIPPED = "xxgk-figures"  # extraction.figures.SHIPPED_MODEL

setup(
    packages=find_packages(include=["extraction*", "training*"]) + ["extraction.models"],
    package_dir={"extraction.models": "models"},
    package_data={"extraction": ["samples/*", "samples/**/*", "figures/words.txt"], "extraction.models": [f"{SHIPPED}/*", f"{SHIPPED}/pair_encoder/*"]},
)
