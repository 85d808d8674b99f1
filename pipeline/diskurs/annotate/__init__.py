"""Annotate: the clean documents through the spaCy pipeline into a DocBin."""
