"""The pretraining sample drawn from raw running text: the size asked for, spread over every file,
the same for the same seed."""

from __future__ import annotations

import gzip
import json

from diskurs.nlp.convert import write_raw_text
from diskurs.nlp.vectors import paragraphs, sample_paragraphs


def test_sample_keeps_about_the_words_asked_for_from_every_file_and_repeats_for_a_seed(norne, tmp_path):
    # Two raw-text files from NorNE's sentences, one of them gzipped, as the shared text is.
    plain = tmp_path / "a.jsonl"
    write_raw_text(norne / "dev", plain)
    packed = tmp_path / "b.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        handle.write(plain.read_text(encoding="utf-8").replace('"text": "', '"text": "B '))
    inputs = [plain, packed]
    total = sum(len(paragraph.split()) for paragraph in paragraphs(inputs))

    first, again, other = tmp_path / "1.jsonl", tmp_path / "2.jsonl", tmp_path / "3.jsonl"
    kept, words = sample_paragraphs(inputs, first, words=total // 4, seed=0)
    sample_paragraphs(inputs, again, words=total // 4, seed=0)
    sample_paragraphs(inputs, other, words=total // 4, seed=1)

    assert abs(words - total / 4) < total * 0.03
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    texts = [json.loads(line)["text"] for line in first.read_text(encoding="utf-8").splitlines()]
    assert len(texts) == kept
    assert set(texts) <= set(paragraphs(inputs))
    from_second = sum(text.startswith("B ") for text in texts)
    assert 0.4 < from_second / kept < 0.6


def test_asking_for_more_words_than_there_are_keeps_everything(tmp_path):
    raw = tmp_path / "raw.jsonl"
    raw.write_text(
        json.dumps({"id": 1, "text": "Helse Bergen kjøper inn.\n\nSykehuset i Molde venter."}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "sample.jsonl"
    assert sample_paragraphs([raw], out, words=1000) == (2, 8)
    assert [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()] == [
        "Helse Bergen kjøper inn.",
        "Sykehuset i Molde venter.",
    ]
