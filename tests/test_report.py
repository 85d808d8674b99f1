"""The report rendered from small crafted tables: escaping, figures, offline links, metrics."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import spacy

from analysis_corpus import write_docbin
from diskurs.io import write_csv, write_jsonl
from diskurs.layout import Layout
from diskurs.params import load_params
from diskurs.report.highlight import highlight
from diskurs.report.kwic import kwic
from diskurs.report.methods import dvc_checksums, model_scores
from diskurs.report.stage import run_report

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'
TEXT_A = (
    f"Sykehuset Østfold vil bruke innovative anskaffelser. {SCRIPT} Leverandørene trenger tillit og dialog.\n\n"
    f"Helse Vest skal øke kompetansen om innovasjonspartnerskap. {FORMULA} Kostnadene er kanskje en barriere."
)
TEXT_B = "Kommunen ønsker samarbeid med næringslivet om nye løsninger for helsetjenesten."


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _doc(nlp, text: str, doc_id: str, source: str, title: str, entity: str, label: str):
    doc = nlp(text)
    start = text.index(entity)
    doc.ents = [doc.char_span(start, start + len(entity), label=label)]
    doc.user_data.update({"doc_id": doc_id, "source": source, "title": title, "published": None, "authors": []})
    return doc


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> Layout:
    """A two-document result set whose texts and tables carry markup and a spreadsheet formula."""
    layout = Layout(tmp_path_factory.mktemp("crafted"))
    records = [
        {
            "doc_id": "a1",
            "source": "a.txt",
            "title": f"Tittel {SCRIPT}",
            "published": "2021-05-01",
            "authors": [FORMULA],
            "text": TEXT_A,
        },
        {
            "doc_id": "b2",
            "source": "b.txt",
            "title": "Samarbeid i kommunen",
            "published": None,
            "authors": [],
            "text": TEXT_B,
        },
    ]
    write_jsonl(layout.clean, records)
    write_jsonl(layout.documents, [{**record, "urls": ["https://example.org/sak"]} for record in records])
    nlp = spacy.blank("nb")
    # An entity over the markup itself: displaCy must escape the marked span as well.
    write_docbin(
        [
            _doc(nlp, TEXT_A, "a1", "a.txt", records[0]["title"], SCRIPT, "ORG"),
            _doc(nlp, TEXT_B, "b2", "b.txt", records[1]["title"], "Kommunen", "GPE_ORG"),
        ],
        layout.annotated,
    )
    manifest = [
        {
            "source": "a.txt",
            "doc_id": "a1",
            "format": "txt",
            "encoding": "utf-8",
            "status": "ok",
            "reason": "",
            "chars_in": 400,
            "chars_out": 300,
        },
        {
            "source": "b.txt",
            "doc_id": "b2",
            "format": "txt",
            "encoding": "utf-8",
            "status": "ok",
            "reason": "",
            "chars_in": 90,
            "chars_out": 80,
        },
        {
            "source": "c.txt",
            "doc_id": "c3",
            "format": "txt",
            "encoding": "utf-8",
            "status": "duplicate",
            "reason": f"same text as a.txt {SCRIPT}",
            "chars_in": 400,
            "chars_out": 0,
        },
    ]
    write_csv(layout.manifest, list(manifest[0]), manifest)
    write_csv(
        layout.boilerplate,
        ["doc_id", "source", "line", "text", "rule"],
        [
            {"doc_id": "a1", "source": "a.txt", "line": 1, "text": "Del på Facebook", "rule": "pattern:share"},
            {"doc_id": "a1", "source": "a.txt", "line": 9, "text": "Skriv ut", "rule": "pattern:print"},
        ],
    )
    ent = layout.entities_dir
    write_csv(
        ent / "entities.csv",
        ["canonical", "label", "aliases", "mentions", "documents", "first_source"],
        [
            {
                "canonical": SCRIPT,
                "label": "ORG",
                "aliases": FORMULA,
                "mentions": 3,
                "documents": 1,
                "first_source": "a.txt",
            },
            {
                "canonical": "Helse Vest RHF",
                "label": "ORG",
                "aliases": "Helse Vest",
                "mentions": 2,
                "documents": 1,
                "first_source": "a.txt",
            },
            {
                "canonical": "Kari Nordmann",
                "label": "PER",
                "aliases": "",
                "mentions": 1,
                "documents": 1,
                "first_source": "a.txt",
            },
        ],
    )
    write_csv(
        ent / "mentions.csv",
        ["doc_id", "source", "sentence_id", "start_char", "end_char", "text", "label", "canonical", "sentence"],
        [],
    )
    write_csv(
        ent / "people.csv",
        ["person", "role", "organisation", "source", "sentence"],
        [
            {
                "person": "Kari Nordmann",
                "role": FORMULA,
                "organisation": "Helse Vest RHF",
                "source": "a.txt",
                "sentence": "x",
            },
        ],
    )
    write_csv(
        ent / "cooccurrence.csv",
        ["actor_a", "label_a", "actor_b", "label_b", "sentences", "documents"],
        [
            {
                "actor_a": SCRIPT,
                "label_a": "ORG",
                "actor_b": "Helse Vest RHF",
                "label_b": "ORG",
                "sentences": 1,
                "documents": 1,
            },
            {
                "actor_a": "Helse Vest RHF",
                "label_a": "ORG",
                "actor_b": "Kari Nordmann",
                "label_b": "PER",
                "sentences": 2,
                "documents": 1,
            },
        ],
    )
    themes = layout.themes_dir
    write_csv(
        themes / "themes.csv",
        ["theme_id", "label", "top_terms", "size", "score"],
        [
            {"theme_id": 0, "label": "tillit / dialog", "top_terms": "tillit|dialog", "size": 2, "score": 1.0},
        ],
    )
    write_csv(
        themes / "document_themes.csv",
        ["source", "doc_id", "theme_id", "weight"],
        [
            {"source": "a.txt", "doc_id": "a1", "theme_id": 0, "weight": 0.7},
            {"source": "b.txt", "doc_id": "b2", "theme_id": 0, "weight": 0.3},
        ],
    )
    write_csv(
        themes / "theme_sentences.csv",
        ["theme_id", "rank", "source", "doc_id", "unit_id", "weight", "sentence"],
        [
            {
                "theme_id": 0,
                "rank": 1,
                "source": "a.txt",
                "doc_id": "a1",
                "unit_id": 1,
                "weight": 0.9,
                "sentence": SCRIPT,
            },
        ],
    )
    frames = layout.frames_dir
    write_csv(
        frames / "document_frames.csv",
        ["source", "doc_id", "frame", "score", "sentences"],
        [
            {"source": "a.txt", "doc_id": "a1", "frame": "collaboration_trust", "score": 0.5, "sentences": 2},
            {"source": "a.txt", "doc_id": "a1", "frame": "barriers_risk", "score": 0.25, "sentences": 1},
            {"source": "b.txt", "doc_id": "b2", "frame": "collaboration_trust", "score": 1.0, "sentences": 1},
        ],
    )
    evidence_sentence = f"Leverandørene trenger tillit og dialog {SCRIPT}."
    write_csv(
        frames / "frame_evidence.csv",
        ["source", "doc_id", "sentence_id", "frame", "function", "cue", "hedge", "sentence"],
        [
            {
                "source": "a.txt",
                "doc_id": "a1",
                "sentence_id": 2,
                "frame": "collaboration_trust",
                "function": "",
                "cue": "tillit|dialog",
                "hedge": "",
                "sentence": evidence_sentence,
            },
            {
                "source": "a.txt",
                "doc_id": "a1",
                "sentence_id": 5,
                "frame": "barriers_risk",
                "function": "problem_definition",
                "cue": "barriere",
                "hedge": "kanskje",
                "sentence": "Kostnadene er kanskje en barriere.",
            },
        ],
    )
    write_csv(
        frames / "sentence_functions.csv",
        ["source", "doc_id", "sentence_id", "function", "cue", "hedge", "sentence"],
        [
            {
                "source": "a.txt",
                "doc_id": "a1",
                "sentence_id": 5,
                "function": "problem_definition",
                "cue": "barriere",
                "hedge": "kanskje",
                "sentence": "Kostnadene er kanskje en barriere.",
            },
        ],
    )
    write_csv(
        frames / "quotes.csv",
        ["doc_id", "source", "speaker", "role", "organisation", "quote", "sentence_id"],
        [
            {
                "doc_id": "a1",
                "source": "a.txt",
                "speaker": "Kari Nordmann",
                "role": "direktør",
                "organisation": "Helse Vest RHF",
                "quote": f"Vi trenger tillit {FORMULA}",
                "sentence_id": 2,
            },
        ],
    )
    write_csv(
        frames / "actor_frames.csv",
        ["actor", "actor_type", "frame", "sentences", "spoken", "documents"],
        [
            {
                "actor": "Kari Nordmann",
                "actor_type": "person",
                "frame": "collaboration_trust",
                "sentences": 1,
                "spoken": 1,
                "documents": 1,
            },
            {
                "actor": "Helse Vest RHF",
                "actor_type": "organisation",
                "frame": "barriers_risk",
                "sentences": 1,
                "spoken": 0,
                "documents": 1,
            },
        ],
    )
    summary = run_report(layout, _params(layout))
    assert summary.pages == 2
    return layout


def _pages(layout: Layout) -> list[Path]:
    return [layout.report, *sorted(layout.report_pages.glob("*.html"))]


def test_markup_and_formulas_from_documents_stay_text(crafted):
    for page in _pages(crafted):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.lower(), page
        assert _parse(page).scripts == 0
    index = crafted.report.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "=HYPERLINK(&#34;http://x&#34;)" in index
    document = (crafted.root / "reports" / "documents" / "a1.html").read_text(encoding="utf-8")
    # The displaCy rendering of the text, with the entity over the markup, is escaped too.
    assert 'class="entities"' in document and "&lt;script&gt;" in document
    # displaCy would print the title held in the Doc unescaped; the page must not let it.
    assert document.count("Tittel &lt;script&gt;") >= 2
    assert "<script" not in crafted.report_markdown.read_text(encoding="utf-8").lower()


def test_evidence_cues_are_marked_inside_the_escaped_sentence(crafted):
    index = crafted.report.read_text(encoding="utf-8")
    assert "trenger <mark>tillit</mark> og <mark>dialog</mark> &lt;script&gt;" in index
    assert "en <mark>barriere</mark>." in index


def test_a_hedged_evidence_sentence_says_so_and_a_plain_one_does_not(crafted):
    index = crafted.report.read_text(encoding="utf-8")
    assert "problem_definition, hedged: kanskje)" in index
    document = (crafted.root / "reports" / "documents" / "a1.html").read_text(encoding="utf-8")
    assert document.count("(hedged: kanskje)") == 2  # the frame's evidence and the function's
    assert document.count("hedged:") == 2


def test_every_image_exists_and_nothing_points_off_the_machine(crafted):
    images = []
    for page in _pages(crafted):
        parsed = _parse(page)
        for link in parsed.links:
            assert not re.match(r"^(https?:)?//", link), f"{page}: {link}"
            if not link.startswith("#"):
                target = (page.parent / link.split("#")[0]).resolve()
                assert target.exists(), f"{page}: {link} does not exist"
        images += [(page.parent / src).resolve() for src in parsed.images]
    assert len({image.name for image in images}) >= 3
    assert all(image.suffix == ".png" and image.stat().st_size > 1000 for image in images)
    alts = re.findall(r'<img [^>]*alt="([^"]+)"', crafted.report.read_text(encoding="utf-8"))
    assert len(alts) == len(_parse(crafted.report).images) and all(len(alt) > 30 for alt in alts)


def test_report_answers_the_questions(crafted):
    index = crafted.report.read_text(encoding="utf-8")
    findings = index.split('id="findings"')[1].split('id="overview"')[0]
    assert "Helse Vest RHF" in findings and "Kari Nordmann (1 quote; frames: collaboration_trust)" in findings
    assert (
        "collaboration_trust (50% of sentences)" in findings and "collaboration_trust (100% of sentences)" in findings
    )
    assert "same text as a.txt" in index and "duplicate 1" in index
    # The unavailable model is reported, not fatal.
    assert "no-such-model" in index and "not available" in index


def test_metrics_hold_counts_and_short_strings(crafted):
    metrics = json.loads(crafted.metrics.read_text(encoding="utf-8"))
    words = len(TEXT_A.split()) + len(TEXT_B.split())
    assert metrics["documents"] == 2 and metrics["words"] == words
    assert metrics["boilerplate_lines_removed"] == 2 and metrics["quotes"] == 1 and metrics["themes"] == 1
    assert metrics["actors"] == 3 and metrics["entity_mentions"] == 6
    assert metrics["model"] == {"name": "", "version": "", "sha256": ""}


def _params(layout: Layout) -> dict:
    params = load_params(Path(__file__).resolve().parents[1] / "params.yaml")
    params["nlp"]["model"] = str(layout.root / "no-such-model")
    params["report"]["kwic_window"] = 3
    return params


def test_rendering_twice_gives_identical_bytes(crafted):
    files = sorted(
        p
        for p in (crafted.root / "reports").rglob("*")
        if p.is_file() and p.suffix in {".png", ".html", ".md", ".json"}
    )
    before = {p: p.read_bytes() for p in files}
    run_report(crafted, _params(crafted))
    assert {p: p.read_bytes() for p in files} == before
    png = (crafted.figures_dir / "actors_by_type.png").read_bytes()
    assert b"Software" not in png and b"matplotlib" not in png


def test_highlight_marks_whole_words_only():
    marked = str(highlight("HelseOmsorg21-rådet skulle få råd om rådgivning", "råd"))
    assert marked == "HelseOmsorg21-rådet skulle få <mark>råd</mark> om rådgivning"


def test_highlight_escapes_text_and_cues():
    marked = highlight('Tillit <b> og</b> "dialog" & TILLIT', "tillit|<b>")
    assert (
        str(marked)
        == "<mark>Tillit</mark> <mark>&lt;b&gt;</mark> og&lt;/b&gt; &#34;dialog&#34; &amp; <mark>TILLIT</mark>"
    )
    assert (
        str(highlight("bidra til og bidrar til", ["bidra til", "bidrar til"]))
        == "<mark>bidra til</mark> og <mark>bidrar til</mark>"
    )
    # A cue only counts from a word start: "dialog" inside "fagdialogen" is not marked.
    assert "<mark>" not in str(highlight("fagdialogen", "dialog"))


def test_kwic_finds_inflected_and_split_terms():
    records = [
        {
            "doc_id": "d",
            "source": "d.txt",
            "text": "Hun leder et innovasjonspartnerskapet i år.\nVi bruker innovative\nanskaffelser mer nå",
        }
    ]
    rows = list(kwic(records, ["innovasjonspartnerskap", "innovative anskaffelser", "tillit"], 2))
    assert [(r["term"], r["left"], r["match"], r["right"]) for r in rows] == [
        ("innovasjonspartnerskap", "leder et", "innovasjonspartnerskapet", "i år."),
        ("innovative anskaffelser", "Vi bruker", "innovative anskaffelser", "mer nå"),
    ]


def test_methods_read_dvc_lock_and_model_scores(tmp_path):
    lock = tmp_path / "dvc.lock"
    lock.write_text(
        "schema: '2.0'\nstages:\n  ingest:\n    cmd: diskurs ingest\n    deps:\n"
        "    - path: corpus/raw\n      hash: md5\n      md5: 0123abcd.dir\n      nfiles: 5\n"
        "    - path: pipeline/diskurs/ingest\n      hash: md5\n      md5: ffff.dir\n"
        "  report:\n    cmd: diskurs report\n    deps:\n"
        "    - path: corpus/processed/clean.jsonl\n      hash: md5\n      md5: 0ld0\n",
        encoding="utf-8",
    )
    assert dvc_checksums(lock) == [{"stage": "ingest", "path": "corpus/raw", "md5": "0123abcd.dir", "files": 5}]
    assert dvc_checksums(tmp_path / "absent.lock") == []
    scores = tmp_path / "metrics.json"
    scores.write_text(json.dumps({"ents_f": 0.8125, "pos_acc": 0.95, "words_per_second": 9000}), encoding="utf-8")
    assert model_scores(scores) == [("Entities F1", 0.8125), ("UPOS accuracy", 0.95)]


def test_the_validation_section_shows_agreement_or_how_to_get_it(crafted, tmp_path):
    index = crafted.report.read_text(encoding="utf-8")
    section = index.split('id="validation"')[1].split('id="kwic"')[0]
    assert "No coded sample yet" in section and "diskurs coding-sheet" in section
    assert "has not been checked against human coders" in index

    layout = Layout(tmp_path / "validated")
    shutil.copytree(crafted.root, layout.root)
    from diskurs.validation.agreement import AGREEMENT_COLUMNS, PROBLEM_COLUMNS

    write_csv(
        layout.validation_dir / "agreement.csv",
        AGREEMENT_COLUMNS,
        [
            {
                "code": "collaboration_trust",
                "kind": "frame",
                "comparison": "tool–kari",
                "units": 2,
                "alpha": 0.6667,
                "verdict": "tentative",
                "precision": 1.0,
                "recall": 0.5,
                "f1": 0.6667,
                "tool_positive": 1,
                "human_positive": 2,
            },
        ],
    )
    write_csv(
        layout.validation_dir / "problems.csv",
        PROBLEM_COLUMNS,
        [{"file": "kari.xlsx", "row": 4, "column": "unit", "value": "x:1", "problem": "no such sentence"}],
    )
    run_report(layout, _params(layout))
    index = layout.report.read_text(encoding="utf-8")
    section = index.split('id="validation"')[1].split('id="kwic"')[0]
    assert "tool–kari" in section and "0.6667" in section and "tentative" in section
    assert "1 problem," in section and "validation/agreement.csv" in section
    assert "Krippendorff" in index.split('id="methods"')[1]
