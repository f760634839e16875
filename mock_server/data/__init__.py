"""The data the fake is built from: the spec, the models, the tiers, the formulas, word lists.

`DATA_DIR` is where the shipped data files are (beside this module: the package is installed
as files, never zipped). Reading them by path, rather than through `importlib.resources`,
keeps the resource readers and `zipfile` out of every start.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
