"""Roles and organisations around person names, on sentences written for these tests."""

from __future__ import annotations

import pytest

from diskurs.entities.actors import load_actors
from diskurs.entities.people import RoleFinder
from entity_docs import make_doc


@pytest.fixture(scope="module")
def finder():
    return RoleFinder(load_actors().role_words)


def found(finder, text, entities):
    doc = make_doc(text, entities)
    spans = sorted(doc.ents, key=lambda s: s.start)
    return {
        (m.person.text, m.role, m.organisation.text if m.organisation is not None else "")
        for m in finder.find(doc, spans)
    }


def test_role_before_the_name(finder):
    assert found(finder, "Det mener rådsleder Kari Nordmann.", [("Kari Nordmann", "PER")]) == {
        ("Kari Nordmann", "rådsleder", "")
    }


def test_role_with_modifier_before_the_name_and_affiliation_after(finder):
    text = "Han møtte administrerende direktør Ola Berg fra Medivio AS i går."
    assert found(finder, text, [("Ola Berg", "PER"), ("Medivio AS", "ORG")]) == {
        ("Ola Berg", "administrerende direktør", "Medivio AS")
    }


def test_role_after_comma_with_organisation(finder):
    text = "– Vi er klare, sier Lise Dahl, innovasjonsansvarlig i Helse Nord RHF."
    assert found(finder, text, [("Lise Dahl", "PER")]) == {("Lise Dahl", "innovasjonsansvarlig", "Helse Nord RHF")}


def test_coordinated_roles_and_a_following_person(finder):
    text = (
        "Bildet: Anne Lie, generalsekretær i Kreftforeningen og medlem av HelseOmsorg21-rådet og "
        "Per Moe, direktør for helse i Forskningsrådet ledet møtet."
    )
    assert found(finder, text, [("Anne Lie", "PER"), ("Per Moe", "PER")]) == {
        ("Anne Lie", "generalsekretær", "Kreftforeningen"),
        ("Anne Lie", "medlem", "HelseOmsorg21-rådet"),
        ("Per Moe", "direktør for helse", "Forskningsrådet"),
    }


def test_role_before_a_comma(finder):
    text = "Der var ordfører Eva Lund fra Os kommune, kommunalsjef helse og omsorg, Tor Ask fra Vik kommune."
    ents = [("Eva Lund", "PER"), ("Tor Ask", "PER"), ("Os kommune", "GPE_ORG"), ("Vik kommune", "GPE_ORG")]
    assert found(finder, text, ents) == {
        ("Eva Lund", "ordfører", "Os kommune"),
        ("Tor Ask", "kommunalsjef helse og omsorg", "Vik kommune"),
    }


def test_a_list_of_people_shares_the_affiliation(finder):
    text = "Ada Holm, Bo Li og Cai Sæther fra Universitetet i Oslo innledet."
    ents = [("Ada Holm", "PER"), ("Bo Li", "PER"), ("Cai Sæther", "PER")]
    assert found(finder, text, ents) == {
        ("Ada Holm", "", "Universitetet i Oslo"),
        ("Bo Li", "", "Universitetet i Oslo"),
        ("Cai Sæther", "", "Universitetet i Oslo"),
    }


def test_no_role_from_ordinary_words(finder):
    text = "I går inviterte Kari Nordmann alle til møtet i Bergen."
    assert found(finder, text, [("Kari Nordmann", "PER"), ("Bergen", "GPE_LOC")]) == set()


def test_wrapped_lines_do_not_break_the_pattern(finder):
    text = "Deretter snakket kommunedirektør Jo Vik\n\nfra Sola kommune om saken."
    assert found(finder, text, [("Jo Vik", "PER"), ("Sola kommune", "GPE_ORG")]) == {
        ("Jo Vik", "kommunedirektør", "Sola kommune")
    }
