"""Frames, framing functions and quoted voices in the annotated documents."""
