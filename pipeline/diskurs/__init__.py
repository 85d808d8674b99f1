"""diskurs: how Norwegian texts on innovative public procurement in health care are framed."""

__version__ = "0.1.0"
