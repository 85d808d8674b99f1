"""The clean stage: strip boilerplate from documents and audit every removed line."""
