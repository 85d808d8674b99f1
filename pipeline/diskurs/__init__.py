"""diskurs: how Norwegian texts on innovative public procurement in health care are framed.

``diskurs.run(input, out)`` runs the whole pipeline on a folder of documents and
``diskurs.load(out)`` gives its result tables as pandas DataFrames (see :mod:`diskurs.api`).
"""

from diskurs.api import Results, load, run
from diskurs.params import SettingsProblem

__version__ = "0.1.0"
__all__ = ["Results", "SettingsProblem", "load", "run"]
