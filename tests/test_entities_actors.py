"""The actor list: loading, inflected look-ups and the entity-ruler patterns."""

from __future__ import annotations

import pytest

from diskurs.entities.actors import ActorListError, genitive, key_variants, load_actors, looks_like_acronym
from entity_docs import make_doc


@pytest.fixture(scope="module")
def actors():
    return load_actors()


def test_every_listed_form_resolves_to_its_own_actor(actors):
    for actor in actors.actors:
        for form in (actor.name, *actor.aliases, *actor.acronyms):
            assert actors.resolve(form) is actor, form
            assert actors.resolve(genitive(form)) is actor, genitive(form)


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("Helse Vests", "Helse Vest RHF"),
        ("Sykehusinnkjøps", "Sykehusinnkjøp HF"),
        ("Leverandørutviklingsprogrammet", "Nasjonalt program for leverandørutvikling"),
        ("Leverandørutviklingsprogrammets", "Nasjonalt program for leverandørutvikling"),
        ("nasjonalt program for leverandørutvikling", "Nasjonalt program for leverandørutvikling"),
        ("LUPs", "Nasjonalt program for leverandørutvikling"),
        ("KS'", "KS"),
        ("Helse Sør–Øst", "Helse Sør-Øst RHF"),
        ("Forskningsrådets", "Norges forskningsråd"),
        ("DFØ", "Direktoratet for forvaltning og økonomistyring"),
    ],
)
def test_inflected_forms_resolve(actors, text, canonical):
    assert actors.resolve(text).name == canonical


@pytest.mark.parametrize("text", ["ks", "lup", "Helse", "Vest", "Sykehus", "Direktoratet"])
def test_lower_case_acronyms_and_fragments_do_not_resolve(actors, text):
    assert actors.resolve(text) is None


def test_key_variants_strip_genitive_then_definite():
    assert key_variants("programmets") == ["programmets", "programmet", "programm", "program"]


def test_acronym_shape():
    assert all(looks_like_acronym(a) for a in ["DFØ", "UiO", "C3", "HO21", "USN"])
    assert not any(looks_like_acronym(a) for a in ["Rådet", "i", "2021", "Nimble"])


def test_ruler_labels_listed_actors_with_their_canonical_id():
    doc = make_doc("Helse Vests innkjøpere møtte Sykehusinnkjøp HF, KS og LUP i går.")
    found = {(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents}
    assert found == {
        ("Helse Vests", "ORG", "Helse Vest RHF"),
        ("Sykehusinnkjøp HF", "ORG", "Sykehusinnkjøp HF"),
        ("KS", "ORG", "KS"),
        ("LUP", "ORG", "Nasjonalt program for leverandørutvikling"),
    }


def test_bad_label_names_file_and_entry(tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text("actors:\n  - name: Testetaten\n    label: COMPANY\n", encoding="utf-8")
    with pytest.raises(ActorListError, match=r"actors.yaml.*Testetaten.*COMPANY"):
        load_actors(path)


def test_missing_file_says_how_to_fix(tmp_path):
    with pytest.raises(ActorListError, match="entities.actors"):
        load_actors(tmp_path / "nope.yaml")
