"""A corpus too small or too lopsided for themes is a finding: the run goes on and says why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from diskurs.cli import main
from diskurs.io import read_csv

REPO = Path(__file__).resolve().parents[1]
ARTICLE = (
    "Helse Nordvik vil kjøpe inn nye løsninger for digital hjemmeoppfølging av pasienter med kroniske "
    "sykdommer.\n\n"
    "– Vi må samarbeide tettere med leverandørene tidlig i prosessen, sier innkjøpssjef Åse Nordvik.\n\n"
    "Kommunen har lyst ut en konkurranse om innovasjonspartnerskap.\n"
)


def _run(folder: Path, out: Path):
    return CliRunner().invoke(main, ["run", str(folder), "--out", str(out), "--params", str(REPO / "params.yaml")])


def _one_article_and_scraps(folder: Path) -> Path:
    folder.mkdir()
    (folder / "artikkel.txt").write_text(ARTICLE, encoding="utf-8")
    for number, line in enumerate(["Møtet er utsatt.", "Se vedlegg.", "Neste møte i mars."]):
        (folder / f"notat{number}.txt").write_text(line + "\n", encoding="utf-8")
    return folder


def _lopsided(folder: Path) -> Path:
    folder.mkdir()
    # One document holds nearly all the text, and repeats itself: every term is in most units.
    (folder / "lang.txt").write_text(
        ("Innovative anskaffelser gir bedre tjenester for pasientene.\n\n" * 40), encoding="utf-8"
    )
    (folder / "kort.txt").write_text("Kommunen deltar.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("corpus", [_one_article_and_scraps, _lopsided])
def test_too_little_text_for_themes_gives_empty_tables_with_a_reason(tmp_path, corpus):
    out = tmp_path / "ut"
    result = _run(corpus(tmp_path / "tekster"), out)
    assert result.exit_code == 0, result.output
    themes = out / "reports" / "themes"
    for name in ("themes.csv", "document_themes.csv", "theme_sentences.csv"):
        assert list(read_csv(themes / name)) == []
    status = json.loads((themes / "status.json").read_text(encoding="utf-8"))
    assert status["themes"] == 0 and "too little text for themes" in status["reason"]
    assert "themes.min_df" in status["reason"]
    # Frames and the report still ran, and the report says why there are no themes.
    assert list(read_csv(out / "reports" / "frames" / "document_frames.csv"))
    assert "too little text for themes" in (out / "reports" / "index.html").read_text(encoding="utf-8")


def test_a_corpus_with_themes_says_how_many(tmp_path):
    out = tmp_path / "ut"
    assert _run(REPO / "corpus" / "raw", out).exit_code == 0
    status = json.loads((out / "reports" / "themes" / "status.json").read_text(encoding="utf-8"))
    assert status["reason"] is None
    assert status["themes"] == len(list(read_csv(out / "reports" / "themes" / "themes.csv"))) > 0


def test_a_document_too_long_for_the_model_is_reported_not_skipped_silently(tmp_path):
    folder = tmp_path / "tekster"
    folder.mkdir()
    (folder / "kort.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "lang.txt").write_text("Langt dokument\n\n" + ARTICLE * 30, encoding="utf-8")
    params = tmp_path / "params.yaml"
    text = (REPO / "params.yaml").read_text(encoding="utf-8").replace("max_length: 2000000", "max_length: 2000")
    params.write_text(text, encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["run", str(folder), "--out", str(out), "--params", str(params)])
    assert result.exit_code == 0, result.output
    rows = {row["source"]: row for row in read_csv(out / "reports" / "manifest.csv")}
    assert rows["kort.txt"]["status"] == "ok"
    assert rows["lang.txt"]["status"] == "too_long"
    assert "nlp.max_length" in rows["lang.txt"]["reason"] and "2,000" in rows["lang.txt"]["reason"]
    # Every document the manifest calls ok was annotated.
    index = out / "corpus" / "processed" / "annotated" / "index.jsonl"
    annotated = [json.loads(line)["metadata"]["source"] for line in index.read_text(encoding="utf-8").splitlines()]
    assert annotated == ["kort.txt"]
