"""Ingest: read every document under the input folder into one JSON Lines file of records."""
