"""Themes: NMF topics over the content-word lemmas of sentences or paragraphs."""
