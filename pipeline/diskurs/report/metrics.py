"""reports/metrics.json: the corpus's headline counts and the model, for `dvc metrics show`."""

from __future__ import annotations

from diskurs.report.comparisons import Comparisons
from diskurs.report.data import ReportData
from diskurs.validation.agreement import MEAN_OF_FRAMES


def report_metrics(data: ReportData, model: dict, comparisons: Comparisons) -> dict:
    """Counts and short strings only, no timestamps, so the file changes only when results do."""
    return {
        "documents": len(data.documents),
        "words": data.words,
        "boilerplate_lines_removed": sum(data.boilerplate_lines.values()),
        "actors": len(data.entities),
        "entity_mentions": sum(int(row["mentions"]) for row in data.entities),
        "people": len({row["person"] for row in data.people}),
        "quotes": len(data.quotes),
        "themes": len(data.themes),
        "frame_evidence_sentences": len({(row["doc_id"], row["sentence_id"]) for row in data.frame_evidence}),
        # The mean α over the frames against each coded sample: `dvc metrics diff` shows what a
        # change of the lexicon does to it.
        "frame_agreement": {
            row["comparison"]: float(row["alpha"]) if row["alpha"] else None
            for row in data.agreement
            if row["code"] == MEAN_OF_FRAMES
        },
        # Groups per comparison, and the documents each counts apart (undated, unspecified).
        "comparisons": {
            comparison.name: {
                "groups": len(comparison.compared),
                "apart": sum(int(row["documents"]) for row in comparison.apart),
            }
            for comparison in comparisons.each
        },
        "model": {
            "name": model.get("name", ""),
            "version": model.get("version", ""),
            "sha256": model.get("sha256") or "",
        },
    }
