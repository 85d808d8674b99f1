"""Comparisons over time and between groups, on a small corpus of known dates and groups."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import pytest
from click import UsageError

from analysis_corpus import REPO, run_through
from diskurs.compare.keyness import Limits, keyness_rows, log_likelihood, log_ratio
from diskurs.compare.periods import UNDATED, period_of
from diskurs.entities.actors import load_actors
from diskurs.io import read_csv
from diskurs.params import load_params

# Two press releases that keep returning to "velferdsteknologi", two news articles about tenders
# and dialogue, an undated one, one the sheet leaves out, one it does not know.
TEXTS = {
    "pressemeldinger/trygghet.txt": (
        "Kommunen tar i bruk velferdsteknologi i hjemmetjenesten.\n\n"
        "Velferdsteknologi skal gi eldre trygghet i eget hjem, og velferdsteknologi gir de ansatte mer tid. "
        "Leverandørene inviteres til dialog om løsningene."
    ),
    "pressemeldinger/sensorer.txt": (
        "Helseforetaket satser på velferdsteknologi for pasienter med kols.\n\n"
        "Med velferdsteknologi kan pasientene følges opp hjemme. Erfaringene med velferdsteknologi "
        "skal deles med andre kommuner."
    ),
    "nyheter/anbud.txt": (
        "Anbudskonkurransen om nye senger ble avlyst etter klager fra leverandører.\n\n"
        "Innkjøperne måtte starte prosessen på nytt. Kontrakten skal nå lyses ut i to deler."
    ),
    "nyheter/dialog.txt": (
        "Markedsdialogen samlet femti leverandører i Bodø.\n\n"
        "Innkjøpssjefen mener tidlig dialog gir bedre tilbud. Leverandørene fikk presentere sine løsninger."
    ),
    "nyheter/udatert.txt": (
        "Sykehuset vil bruke mer tid på behovsanalyse før anskaffelser.\n\n"
        "Brukerne skal delta tidlig i arbeidet, og de ansatte skal lære av prosjektet."
    ),
    "utkast/kladd.txt": "Denne kladden skal ikke analyseres. Velferdsteknologi velferdsteknologi.",
    "ukjent.txt": "Direktoratet ga råd om innovative anskaffelser til kommunene i regionen.",
}
SHEET = [
    ("file", "published", "source_type", "exclude"),
    ("pressemeldinger/trygghet.txt", "2020-03-01", "press_release", ""),
    ("pressemeldinger/sensorer.txt", "2020-09-15", "press_release", ""),
    ("nyheter/anbud.txt", "2021-02-01", "news", ""),
    ("nyheter/dialog.txt", "2021-11-20", "news", "nei"),
    ("nyheter/udatert.txt", "", "news", ""),
    ("utkast/kladd.txt", "2021-05-05", "news", "true"),
    ("nyheter/borte.txt", "2021-06-01", "news", ""),
]


def write_corpus(folder: Path) -> Path:
    for name, text in TEXTS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text + "\n", encoding="utf-8")
    sheet = folder.parent / "metadata.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(SHEET)
    return sheet


@pytest.fixture(scope="module")
def compared(model_path, tmp_path_factory):
    base = tmp_path_factory.mktemp("compare")
    folder = base / "texts"
    folder.mkdir()
    sheet = write_corpus(folder)
    layout = run_through(
        folder,
        model_path,
        base / "results",
        "entities",
        "themes",
        "frames",
        "compare",
        metadata=sheet,
        by=["source_type"],
    )
    return layout


def table(layout, name: str) -> list[dict]:
    return list(read_csv(layout.compare_dir / f"{name}.csv"))


def test_the_sheet_decides_dates_groups_and_what_is_left_out(compared):
    manifest = {row["source"]: row for row in read_csv(compared.manifest)}
    assert manifest["utkast/kladd.txt"]["status"] == "excluded"
    assert "exclude is set" in manifest["utkast/kladd.txt"]["reason"]
    assert manifest["nyheter/borte.txt"]["status"] == "missing"
    assert "not in the input folder" in manifest["nyheter/borte.txt"]["reason"]
    assert manifest["ukjent.txt"]["status"] == "ok"
    assert "no row in" in manifest["ukjent.txt"]["reason"]
    documents = {row["source"]: row for row in table(compared, "documents")}
    assert "utkast/kladd.txt" not in documents
    assert documents["pressemeldinger/trygghet.txt"]["published"] == "2020-03-01"
    assert documents["pressemeldinger/trygghet.txt"]["period"] == "2020"
    assert documents["nyheter/udatert.txt"]["period"] == UNDATED
    assert documents["ukjent.txt"]["source_type"] == "unspecified"


def test_counts_per_group_sum_to_the_totals(compared):
    documents = table(compared, "documents")
    totals = {key: sum(int(row[key]) for row in documents) for key in ("sentences", "words")}
    by_comparison = defaultdict(lambda: defaultdict(int))
    for row in table(compared, "groups"):
        for key in ("documents", "sentences", "words"):
            by_comparison[row["comparison"]][key] += int(row[key] or 0)
    for comparison in ("period", "source_type"):
        assert by_comparison[comparison]["documents"] == len(documents) == 6
        assert by_comparison[comparison]["sentences"] == totals["sentences"]
        assert by_comparison[comparison]["words"] == totals["words"]
    groups = {(row["comparison"], row["group"]): row for row in table(compared, "groups")}
    assert int(groups[("period", UNDATED)]["documents"]) == 2  # udatert.txt and ukjent.txt
    assert int(groups[("period", "2020")]["documents"]) == 2
    # Each frame's sentences over the periods are its sentences in the corpus.
    evidence = defaultdict(set)
    for row in read_csv(compared.frames_dir / "frame_evidence.csv"):
        evidence[row["frame"]].add((row["doc_id"], row["sentence_id"]))
    summed = defaultdict(int)
    for row in table(compared, "frames_by_period"):
        summed[row["frame"]] += int(row["sentences"])
    assert summed == {frame: len(evidence.get(frame, ())) for frame in summed}
    assert any(summed.values())
    # Theme units over the periods are every sentence's.
    units = sum(int(row["of_units"]) for row in table(compared, "themes_by_period") if row["theme_id"] == "0")
    assert units == totals["sentences"]


def test_the_planted_term_is_the_press_releases_top_key_term(compared):
    rows = [row for row in table(compared, "keyness_by_source_type") if row["group"] == "press_release"]
    assert rows, "no key term for the press releases"
    top = rows[0]
    assert top["term"] == "velferdsteknologi"
    assert int(top["count"]) == 6 and int(top["count_rest"]) == 0 and int(top["documents"]) == 2
    words = {row["group"]: int(row["words"]) for row in table(compared, "groups") if row["comparison"] == "source_type"}
    c, d = words["press_release"], sum(words.values()) - words["press_release"]
    a, b = 6, 0
    # Dunning's G² written out: 2 Σ observed · ln(observed / expected).
    expected_a = c * (a + b) / (c + d)
    by_hand = 2 * a * math.log(a / expected_a)
    assert float(top["g2"]) == pytest.approx(by_hand, abs=1e-3)
    assert float(top["log_ratio"]) == pytest.approx(math.log2((a / c) / (0.5 / d)), abs=1e-3)
    assert float(top["p_adjusted"]) <= 0.05
    # The excluded draft, full of the term, counts nowhere.
    news = [row["term"] for row in table(compared, "keyness_by_source_type") if row["group"] == "news"]
    assert "velferdsteknologi" not in news


def test_undated_and_unspecified_groups_get_no_key_terms(compared):
    assert UNDATED not in {row["group"] for row in table(compared, "keyness_by_period")}
    assert "unspecified" not in {row["group"] for row in table(compared, "keyness_by_source_type")}


def test_log_likelihood_by_hand():
    # 10 of 1,000 words against 0 of 3,000: expected 2.5, so G² = 2 · 10 · ln 4.
    assert log_likelihood(10, 0, 1000, 3000) == pytest.approx(27.7259, abs=1e-4)
    # 20 in 1,000 against 10 in 1,000: expected 15 each.
    assert log_likelihood(20, 10, 1000, 1000) == pytest.approx(2 * (20 * math.log(20 / 15) + 10 * math.log(10 / 15)))
    assert log_ratio(20, 10, 1000, 1000) == pytest.approx(1.0)


def test_keyness_keeps_only_frequent_significant_over_represented_terms():
    from collections import Counter

    group = Counter({"anbud": 30, "dialog": 3, "seng": 10})
    total = Counter({"anbud": 32, "dialog": 40, "seng": 100})
    documents = {"anbud": 4, "dialog": 3, "seng": 1}
    rows = keyness_rows(group, documents, total, 2000, 20000, Limits(5, 2, 0.05, 10))
    # "dialog" is too rare in the group, "seng" in too few documents.
    assert [row["term"] for row in rows] == ["anbud"]
    under = keyness_rows(Counter({"seng": 6}), {"seng": 3}, Counter({"seng": 600}), 2000, 20000, Limits(5, 2, 0.05, 10))
    assert under == []  # under-represented in the group: not typical of it


@pytest.mark.parametrize(
    ("published", "period", "expected"),
    [
        ("2021-03-15", "year", "2021"),
        ("2021-07-01", "half-year", "2021-H2"),
        ("2021-06-30", "half-year", "2021-H1"),
        ("2021-10-01", "quarter", "2021-Q4"),
        ("2021", "quarter", UNDATED),
        ("2021-04", "quarter", "2021-Q2"),
        (None, "year", UNDATED),
        ("", "year", UNDATED),
    ],
)
def test_periods(published, period, expected):
    assert period_of(published, period) == expected


def test_actor_types_from_the_list_the_shapes_or_unknown():
    actors = load_actors()
    assert actors.type_of("Helse- og omsorgsdepartementet") == "ministry"
    assert actors.type_of("Helsedirektoratets") == "directorate"  # genitive of a listed name
    assert actors.type_of("Bærum kommune") == "municipality"
    assert actors.type_of("Sykehuset Nordvik HF") == "health_trust"
    assert actors.type_of("Norsk Sensor AS") == "supplier"
    assert actors.type_of("Fjordbyen Seniorråd") == "unknown"


def _params_with_sheet(tmp_path: Path, rows: list[tuple], by: str = "[]") -> Path:
    sheet = tmp_path / "sheet.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    params = tmp_path / "params.yaml"
    params.write_text(
        (REPO / "params.yaml")
        .read_text(encoding="utf-8")
        .replace("metadata: corpus/metadata.csv", f"metadata: {sheet}")
        .replace("by: [source_type, outlet]", f"by: {by}"),
        encoding="utf-8",
    )
    return params


def test_a_bad_sheet_is_refused_before_any_stage_with_row_and_fix(tmp_path):
    params = _params_with_sheet(
        tmp_path,
        [("file", "published", "exclude"), ("a.txt", "i fjor", ""), ("b.txt", "", "kanskje"), ("a.txt", "", "")],
    )
    with pytest.raises(UsageError) as raised:
        load_params(params, check=True)
    message = str(raised.value)
    assert "row 2, published: 'i fjor' is no date" in message
    assert "row 3, exclude: 'kanskje'" in message
    assert "row 4: a.txt is listed already in row 2" in message


def test_a_sheet_without_a_file_column_or_with_an_unknown_column_to_compare_by(tmp_path):
    with pytest.raises(UsageError, match="no 'file' column"):
        load_params(_params_with_sheet(tmp_path, [("fil", "published"), ("a.txt", "2021")]), check=True)
    with pytest.raises(UsageError, match="compare.by: outlet is no column"):
        load_params(_params_with_sheet(tmp_path, [("file", "kilde"), ("a.txt", "nyhet")], by="[outlet]"), check=True)
