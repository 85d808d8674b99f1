"""Data files shipped with diskurs (pattern library, lexicons), packaged with the code."""
