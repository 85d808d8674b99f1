"""The blind coding sheet: a stratified, seeded sample of sentences, with empty code columns and
the codebook, drawn from the real corpus."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from analysis_corpus import blank_annotated
from diskurs.frames.cache import FramesMap
from diskurs.frames.lexicon import load_lexicon
from diskurs.layout import Layout
from diskurs.params import load_params
from diskurs.validation.sheet import NO_FRAME, UNIT_COLUMNS, Unit, coding_sheet, draw_sample

REPO = Path(__file__).resolve().parents[1]
FRAMES = ("economy_industry", "users_patients")


def unit(doc_id: str, sentence_id: int, *frames: str) -> Unit:
    return Unit(doc_id, f"{doc_id}.txt", sentence_id, f"Setning {sentence_id} i {doc_id}.", "", "", frozenset(frames))


# Four documents: economy common, users rare (two sentences in all), most sentences without a frame.
UNITS = [
    *(unit(doc, i, "economy_industry") for doc in ("a", "b", "c", "d") for i in range(0, 10)),
    unit("c", 10, "users_patients"),
    unit("d", 10, "users_patients", "economy_industry"),
    *(unit(doc, i) for doc in ("a", "b", "c", "d") for i in range(11, 41)),
]


def test_every_stratum_gets_its_share_and_a_rare_frame_all_it_has():
    sample = draw_sample(UNITS, FRAMES, 12, seed=0)
    assert len(sample) == len({u.key for u in sample}) == 12
    assert sum("users_patients" in u.frames for u in sample) == 2
    # The rare frame's unused turns go to the other strata, a third each at the least.
    assert sum("economy_industry" in u.frames for u in sample) >= 4
    assert sum(not u.frames for u in sample) >= 4
    # Spread over the documents: none holds more than half of the sample.
    assert max(sum(u.doc_id == doc for u in sample) for doc in "abcd") <= 6


def test_the_same_seed_draws_the_same_sample_and_another_seed_another():
    first = draw_sample(UNITS, FRAMES, 20, seed=3)
    assert draw_sample(reversed(UNITS), FRAMES, 20, seed=3) == first
    assert draw_sample(UNITS, FRAMES, 20, seed=4) != first
    # Not grouped by stratum or document: the order is shuffled.
    assert [u.key for u in first] != sorted(u.key for u in first)


def test_asking_for_more_than_the_corpus_holds_gives_every_sentence_once():
    sample = draw_sample(UNITS, FRAMES, 1000, seed=0)
    assert sorted(u.key for u in sample) == sorted(u.key for u in UNITS)
    assert NO_FRAME not in FRAMES


@pytest.fixture(scope="module")
def layout(shared_corpus, tmp_path_factory) -> Layout:
    return blank_annotated(shared_corpus, tmp_path_factory.mktemp("sheet"))


def test_the_sheet_of_the_real_corpus_is_blind_complete_and_repeatable(layout, tmp_path):
    params = load_params(REPO / "params.yaml")
    out = tmp_path / "sheet.xlsx"
    summary = coding_sheet(layout, params, out, 40, seed=1)
    assert summary.sampled == 40 and summary.documents == 5 and not summary.failed
    lexicon = load_lexicon()
    book = openpyxl.load_workbook(out)
    rows = list(book["sentences"].values)
    header, body = rows[0], rows[1:]
    codes = [*lexicon.frame_names, *lexicon.function_names]
    assert list(header) == [*UNIT_COLUMNS, *codes]
    assert len(body) == 40
    # Nothing of the tool's coding is in the sheet: every code cell is empty.
    assert all(cell is None for row in body for cell in row[len(UNIT_COLUMNS) :])

    # Each row is a sentence of the corpus, with the sentences around it in its document.
    frames_of = FramesMap(layout, params)
    sentences = {}
    for entry in frames_of.entries():
        found, _ = frames_of(entry)
        texts = [s.text for s in found.sentences]
        for n, s in enumerate(found.sentences):
            sentences[f"{entry.metadata['doc_id']}:{s.sentence_id}"] = (
                texts[n - 1] if n else "",
                s.text,
                texts[n + 1] if n + 1 < len(texts) else "",
            )
    for key, source, sentence_id, before, text, after, *_ in body:
        assert key == f"{Path(source).stem}:{sentence_id}"
        assert sentences[key] == (before or "", text, after or "")
    # Every frame is represented where the corpus has it, and so are sentences without one.
    assert all(summary.strata[name] > 0 for name in (*lexicon.frame_names, NO_FRAME))

    codebook = {row[0]: row for row in book["codebook"].values if row[0] in codes}
    for entry in lexicon.frames:
        assert codebook[entry.name][1:] == ("frame", entry.label, entry.description)
    assert {name for name, row in codebook.items() if row[1] == "function"} == set(lexicon.function_names)

    again = tmp_path / "again.xlsx"
    coding_sheet(layout, params, again, 40, seed=1)
    assert again.read_bytes() == out.read_bytes()
