"""Ingest: read every document under the input folder into one JSON Lines file of records."""

# The manifest's columns: ingest writes them, clean carries them into reports/manifest.csv.
MANIFEST_COLUMNS = ("source", "doc_id", "format", "encoding", "status", "reason", "chars_in", "chars_out", "sha256")
