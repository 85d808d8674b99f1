"""Ingest: read every document under the input folder into one JSON Lines file of records."""

# The manifest's columns: ingest writes them, clean carries them into reports/manifest.csv.
MANIFEST_COLUMNS = ("source", "doc_id", "format", "encoding", "status", "reason", "chars_in", "chars_out", "sha256")
# What each document carries from ingest through clean and annotate to every later stage, besides
# its text: ``fields`` holds the document sheet's own columns (see ingest/sheet.py).
CARRIED = ("doc_id", "source", "title", "published", "authors", "fields")
