"""The five real documents through ingest, clean, annotate and entities with the project's model.

Checks every person and organisation of tests/data/actors_gold.yaml (read by hand from
../shared/corpus) against mentions.csv, the one-row-per-actor rule and the stated roles.
The model is `nlp.model` from params.yaml, or DISKURS_TEST_MODEL to try another one.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from diskurs.entities.actors import load_actors, name_key
from diskurs.io import read_csv
from diskurs.layout import Layout
from diskurs.params import load_params

REPO = Path(__file__).resolve().parents[1]
GOLD = yaml.safe_load((Path(__file__).parent / "data" / "actors_gold.yaml").read_text(encoding="utf-8"))
ORG_LABELS = {"ORG", "GPE_ORG"}


@pytest.fixture(scope="module")
def tables(shared_corpus, model_path, tmp_path_factory):
    from diskurs.annotate.stage import run_annotate
    from diskurs.clean.stage import run_clean
    from diskurs.entities.stage import run_entities
    from diskurs.ingest.stage import run_ingest

    params = load_params(REPO / "params.yaml")
    params["nlp"] = {**params["nlp"], "model": str(model_path)}
    layout = Layout(tmp_path_factory.mktemp("corpus_run"))
    run_ingest(shared_corpus, layout, params)
    run_clean(layout, params)
    run_annotate(layout, params)
    run_entities(layout, params)
    folder = layout.entities_dir
    return {name: list(read_csv(folder / f"{name}.csv")) for name in ("mentions", "entities", "people")}


def _found(mentions, source, name, labels):
    actor = load_actors().resolve(name)
    wanted = {name_key(name)} | ({name_key(actor.name)} if actor else set())
    return any(
        m["source"] == source and m["label"] in labels and {name_key(m["text"]), name_key(m["canonical"])} & wanted
        for m in mentions
    )


def _missing(mentions, kind, labels):
    return [
        (source, name)
        for source, names in GOLD["documents"].items()
        for name in names.get(kind, [])
        if not _found(mentions, source, name, labels)
    ]


def _recall(missing, kind):
    total = sum(len(names.get(kind, [])) for names in GOLD["documents"].values())
    return (total - len(missing)) / total


def test_every_person_is_a_per_mention(tables):
    missing = _missing(tables["mentions"], "people", {"PER"})
    assert not missing, f"person recall {_recall(missing, 'people'):.2f}; missing: {missing}"


def test_every_organisation_is_an_org_mention(tables):
    missing = _missing(tables["mentions"], "organisations", ORG_LABELS)
    assert not missing, f"organisation recall {_recall(missing, 'organisations'):.2f}; missing: {missing}"


def test_spellings_of_one_actor_share_one_canonical_row(tables):
    canonical_rows = {name_key(row["canonical"]) for row in tables["entities"]}
    for group in GOLD["one_actor"]:
        keys = {name_key(form) for form in group}
        canonicals = {m["canonical"] for m in tables["mentions"] if name_key(m["text"]) in keys}
        assert len(canonicals) == 1, f"{group} became {sorted(canonicals)}"
        assert len(keys & canonical_rows) <= 1, f"{group}: more than one entities.csv row"


def test_no_organisation_has_two_rows_differing_by_genitive(tables):
    keys = defaultdict(list)
    for row in tables["entities"]:
        if row["label"] in ORG_LABELS:
            keys[name_key(row["canonical"]).rstrip("s'")].append(row["canonical"])
    assert not {k: v for k, v in keys.items() if len(v) > 1}


def test_byline_authors_are_title_cased_people(tables):
    people = {row["canonical"] for row in tables["entities"] if row["label"] == "PER"}
    assert "Hege Strand Mikkelsen" in people
    assert not any(name.isupper() for name in people)


def test_stated_roles_are_found(tables):
    rows = tables["people"]
    missing = [
        (person, role, organisation)
        for person, role, organisation in GOLD["roles"]
        if not any(
            r["person"] == person and role in r["role"] and (not organisation or r["organisation"] == organisation)
            for r in rows
        )
    ]
    assert not missing, f"roles not found: {missing}"


def test_common_words_opening_a_sentence_are_no_actors(tables):
    # "Samlet inn innspill …" and the caption "Bildet:" were tagged as places.
    names = {row["canonical"] for row in tables["entities"]}
    assert not names & {"Samlet", "Bildet"}
