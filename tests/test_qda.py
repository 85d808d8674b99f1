"""The REFI-QDA export: a project QDA software reads, valid against the published schema, whose
character positions point at exactly the coded text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from analysis_corpus import run_through
from diskurs.frames.cache import FramesMap
from diskurs.frames.lexicon import load_lexicon
from diskurs.io import read_csv
from diskurs.params import load_params
from diskurs.validation.agreement import read_coding, tool_codes
from diskurs.validation.qda import export_project

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO.parent / "shared" / "refi-qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture(scope="module")
def exported(model_path, tmp_path_factory):
    texts = tmp_path_factory.mktemp("texts")
    # Characters outside the Basic Multilingual Plane count as one position each (code points,
    # section 10.2 of the standard), where UTF-16 would count two.
    (texts / "a.txt").write_text(
        "Samarbeid i Nordvik 😀🏥\n\nKari Nordmann i Helse Vest RHF leder arbeidet.\n\n"
        "«Vi må bygge tillit til leverandørene», sier Kari Nordmann.\n\n"
        "Innovasjon og bærekraft går hånd i hånd 🌱 i hele regionen.\n",
        encoding="utf-8",
    )
    (texts / "b.txt").write_text(
        "Kommunen vil styrke kompetansen om innovative anskaffelser.\n\nBrukerne skal være med fra start.\n",
        encoding="utf-8",
    )
    layout = run_through(texts, model_path, tmp_path_factory.mktemp("results"), "entities", "frames")
    out = layout.root / "project.qdpx"
    summary = export_project(layout, load_params(REPO / "params.yaml"), out)
    return layout, out, summary


def _project(path: Path):
    archive = zipfile.ZipFile(path)
    return archive, etree.fromstring(archive.read("project.qde"))


def test_the_project_is_valid_against_the_schema_and_holds_every_document(exported):
    if not SCHEMA.is_file():
        pytest.skip(f"no REFI-QDA schema at {SCHEMA}: put ../shared beside the project to run this check")
    _, out, summary = exported
    archive, project = _project(out)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(project), schema.error_log
    sources = project.findall(".//q:TextSource", NS)
    assert summary.sources == len(sources) == 2
    assert sorted(source.get("name") for source in sources) == ["a.txt", "b.txt"]
    for source in sources:
        assert f"sources/{source.get('plainTextPath').removeprefix('internal://')}" in archive.namelist()


def test_positions_point_at_the_coded_sentence_mention_and_quote(exported):
    layout, out, _ = exported
    archive, project = _project(out)
    # Code GUID -> its name, and the folder's name for the people and actors, whose names coincide.
    codes = {}
    for folder in project.find(".//q:Codes", NS):
        for code in folder:
            name = code.get("name")
            codes[code.get("guid")] = (
                (folder.get("name"), name) if folder.get("name") in ("Speakers", "Actors") else name
            )
    coded: dict = {}
    for source in project.findall(".//q:TextSource", NS):
        text = archive.read(f"sources/{source.get('plainTextPath').removeprefix('internal://')}").decode("utf-8")
        for selection in source.findall("q:PlainTextSelection", NS):
            span = text[int(selection.get("startPosition")) : int(selection.get("endPosition"))]
            for ref in selection.iterfind(".//q:CodeRef", NS):
                coded.setdefault(codes[ref.get("targetGUID")], []).append(span)
    # The sentence after the emoji is coded whole, neither shifted nor cut.
    assert "Innovasjon og bærekraft går hånd i hånd 🌱 i hele regionen." in coded["innovation"]
    assert "Brukerne skal være med fra start." in coded["users_patients"]
    assert coded["Speakers", "Kari Nordmann"] == ["«Vi må bygge tillit til leverandørene», sier Kari Nordmann."]
    mentions = [row for row in read_csv(layout.entities_dir / "mentions.csv") if row["canonical"] == "Helse Vest RHF"]
    assert mentions and coded["Actors", "Helse Vest RHF"] == [row["text"] for row in mentions]


def test_the_codebook_carries_the_lexicon_and_a_second_export_is_byte_identical(exported, tmp_path):
    layout, out, _ = exported
    _, project = _project(out)
    folders = {code.get("name"): code for code in project.find(".//q:Codes", NS)}
    assert {"Frames", "Framing functions", "Speakers", "Actors"} <= set(folders)
    lexicon = load_lexicon()
    frames = {code.get("name"): code.findtext("q:Description", namespaces=NS) for code in folders["Frames"]}
    assert set(frames) == set(lexicon.frame_names)
    assert all(entry.description in frames[entry.name] for entry in lexicon.frames)
    again = tmp_path / "again.qdpx"
    export_project(layout, load_params(REPO / "params.yaml"), again)
    assert again.read_bytes() == out.read_bytes()


def _rewrite(source: Path, target: Path, project) -> None:
    """The project with its XML replaced, the texts kept: what a QDA program saves."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = (
                etree.tostring(project, xml_declaration=True, encoding="utf-8")
                if name == "project.qde"
                else old.read(name)
            )
            new.writestr(name, data)


def test_a_project_recoded_in_qda_software_reads_back_exactly_its_changes(exported, tmp_path):
    layout, out, _ = exported
    params = load_params(REPO / "params.yaml")
    lexicon = load_lexicon()
    codes = [*lexicon.frame_names, *lexicon.function_names]
    tool, index = tool_codes(FramesMap(layout, params))
    as_exported, problems = read_coding(out, codes, index)
    assert not problems
    assert as_exported.codes == {unit: {code: int(code in found) for code in codes} for unit, found in tool.items()}

    # The coder takes users_patients off one sentence and puts governance_policy on another.
    _, project = _project(out)
    guids = {code.get("name"): code.get("guid") for code in project.iter("{urn:QDA-XML:project:1.0}Code")}
    users = next(unit for unit, text in index.texts.items() if text == "Brukerne skal være med fra start.")
    leader = next(unit for unit, text in index.texts.items() if text.startswith("Kari Nordmann i Helse Vest RHF"))
    removed = 0
    for ref in list(project.iter("{urn:QDA-XML:project:1.0}CodeRef")):
        selection = ref.getparent().getparent()
        if (
            ref.get("targetGUID") == guids["users_patients"]
            and int(selection.get("startPosition")) == index.ranges[users][0]
        ):
            selection.remove(ref.getparent())
            removed += 1
    assert removed == 1
    source = next(s for s in project.iter("{urn:QDA-XML:project:1.0}TextSource") if s.get("name") == "a.txt")
    start, end = index.ranges[leader]
    # A phrase inside the sentence is enough to code it.
    added = etree.SubElement(
        source,
        "{urn:QDA-XML:project:1.0}PlainTextSelection",
        guid="0B3C6F4E-1D2A-4B5C-8D9E-0F1A2B3C4D5E",
        startPosition=str(start + 15),
        endPosition=str(start + 29),
    )
    coding = etree.SubElement(added, "{urn:QDA-XML:project:1.0}Coding", guid="1C4D7A5F-2E3B-4C6D-9E0F-1A2B3C4D5E6F")
    etree.SubElement(coding, "{urn:QDA-XML:project:1.0}CodeRef", targetGUID=guids["governance_policy"])
    recoded = tmp_path / "kari.qdpx"
    _rewrite(out, recoded, project)
    back, problems = read_coding(recoded, codes, index)
    assert not problems and back.coder == "kari"
    changed = {
        (unit, code): value
        for unit, values in back.codes.items()
        for code, value in values.items()
        if value != as_exported.codes[unit][code]
    }
    assert changed == {(users, "users_patients"): 0, (leader, "governance_policy"): 1}


def test_the_atlas_ti_sample_imports(exported):
    sample = REPO.parent / "shared" / "refi-qda" / "atlas-codebook-sample.qdpx"
    if not sample.is_file():
        pytest.skip(f"no ATLAS.ti sample at {sample}")
    layout, _, _ = exported
    _, index = tool_codes(FramesMap(layout, load_params(REPO / "params.yaml")))
    coding, problems = read_coding(sample, ["innovation"], index)
    # A codebook and no sources: nothing coded, and nothing wrong with it.
    assert coding.codes == {} and problems == []
