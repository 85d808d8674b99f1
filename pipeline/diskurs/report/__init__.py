"""The report stage: the analysis tables rendered as HTML pages, figures, Markdown and DVC metrics."""
