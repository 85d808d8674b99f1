"""The frame lexicon and its matcher on Norwegian snippets written for these tests."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from diskurs.frames.actors import ActorIndex
from diskurs.frames.lexicon import LexiconError, load_lexicon
from diskurs.frames.matcher import LexiconMatcher
from diskurs.frames.quotes import Person, Quote
from diskurs.frames.tables import ActorFrames, document_frame_rows, evidence_rows
from diskurs.stats import wilson

REQUIRED_FRAMES = {
    "economy_industry",
    "sustainability",
    "competence_knowledge",
    "collaboration_trust",
    "barriers_risk",
    "strategic_purchasing",
    "users_patients",
    "innovation",
}


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.fixture(scope="module")
def matcher(nlp):
    return LexiconMatcher(load_lexicon(), nlp.vocab)


def lemmatised(nlp, words, lemmas, ents=()):
    doc = Doc(nlp.vocab, words=words, lemmas=lemmas, sent_starts=[True] + [False] * (len(words) - 1))
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


def frames_of(matcher, doc):
    return {cue.label: cue.text for cue in matcher.frame_cues(doc)}


def test_shipped_lexicon_has_the_field_s_frames_and_entman_s_functions():
    lexicon = load_lexicon()
    assert REQUIRED_FRAMES <= set(lexicon.frame_names)
    assert set(lexicon.function_names) == {
        "problem_definition",
        "causal_interpretation",
        "moral_evaluation",
        "treatment_recommendation",
    }


def test_lemmas_match_inflected_forms_through_the_lemma(nlp, matcher):
    doc = lemmatised(
        nlp, ["Flere", "arbeidsplasser", "og", "utfordringer", "."], ["flere", "arbeidsplass", "og", "utfordring", "."]
    )
    assert frames_of(matcher, doc) == {"economy_industry": "arbeidsplasser", "barriers_risk": "utfordringer"}


@pytest.mark.parametrize(
    "word, lemma, frames",
    [
        ("kompetansetiltak", "kompetansetiltak", {"competence_knowledge"}),
        ("innovasjonspartnerskapet", "innovasjonspartnerskap", {"innovation", "collaboration_trust"}),
        ("personvernutfordringer", "personvernutfordring", {"barriers_risk"}),
        # Society's challenges are what a purchase answers, not an obstacle on its way.
        ("samfunnsutfordringer", "samfunnsutfordring", set()),
        ("brukerorganisasjonene", "brukerorganisasjon", {"users_patients"}),
        # Too little after the stem: an inflection the lemmatiser missed, not a compound.
        ("kompetanser", "kompetanser", set()),
    ],
)
def test_compounds_count_for_the_frames_of_their_parts(nlp, matcher, word, lemma, frames):
    doc = lemmatised(nlp, ["Vi", "trenger", word, "."], ["vi", "trenge", lemma, "."])
    assert set(frames_of(matcher, doc)) == frames


def test_multi_word_patterns_match_on_forms_and_on_lemmas(nlp, matcher):
    doc = lemmatised(
        nlp, ["Sykehuset", "er", "strategiske", "innkjøpere", "."], ["sykehus", "være", "strategisk", "innkjøper", "."]
    )
    (cue,) = [c for c in matcher.frame_cues(doc) if c.label == "strategic_purchasing"]
    assert (cue.kind, cue.text) == ("phrase", "strategiske innkjøpere")
    (record,) = matcher.sentences(nlp("Rådet vil vite hva som skal til."))
    assert record.functions == {"treatment_recommendation": ["hva som skal til"]}


def test_a_post_is_no_cue_and_neither_is_a_verb_spelt_like_a_cue(nlp):
    from diskurs.entities.actors import load_actors

    titled = LexiconMatcher(load_lexicon(), nlp.vocab, titles=frozenset(load_actors().role_words))
    words = ["Lena", "Forgaard", ",", "innovasjonsansvarlig", "og", "innkjøpssjef", ",", "om", "innovasjonsarbeid"]
    doc = lemmatised(nlp, words, [w.lower() for w in words])
    # The posts say who speaks; "innovasjonsarbeid" still speaks of innovation.
    assert [(c.label, c.text) for c in titled.frame_cues(doc)] == [("innovation", "innovasjonsarbeid")]
    assert {c.text for c in LexiconMatcher(load_lexicon(), nlp.vocab).frame_cues(doc)} >= {"innovasjonsansvarlig"}

    # "bruker" the verb is no "bruker" the user; the noun still is.
    verb = Doc(
        nlp.vocab,
        words=["Vi", "bruker", "tid", "."],
        lemmas=["vi", "bruke", "tid", "."],
        pos=["PRON", "VERB", "NOUN", "PUNCT"],
    )
    noun = Doc(
        nlp.vocab,
        words=["Hver", "bruker", "teller", "."],
        lemmas=["hver", "bruker", "telle", "."],
        pos=["DET", "NOUN", "VERB", "PUNCT"],
    )
    assert frames_of(titled, verb) == {}
    assert frames_of(titled, noun) == {"users_patients": "bruker"}


def test_cues_inside_an_excluded_phrase_do_not_count_for_that_frame(nlp, matcher):
    # The corpus's topic is a way of purchasing, not innovation itself; market dialogue is the
    # buyer's tool, not a partnership.
    words = ["Innovative", "anskaffelser", "med", "tidlig", "dialog", "er", "svaret", "."]
    doc = lemmatised(nlp, words, ["innovativ", "anskaffelse", "med", "tidlig", "dialog", "være", "svar", "."])
    assert set(frames_of(matcher, doc)) == {"strategic_purchasing"}
    # Outside the phrases the same words still count.
    words = ["Dialog", "gir", "innovative", "løsninger", "."]
    doc = lemmatised(nlp, words, ["dialog", "gi", "innovativ", "løsning", "."])
    assert set(frames_of(matcher, doc)) == {"collaboration_trust", "innovation"}
    # "Rådet" (a council, here) recommends nothing; advice does.
    council = lemmatised(nlp, ["Rådet", "møtes", "i", "juni", "."], ["råd", "møte", "i", "juni", "."])
    advice = lemmatised(nlp, ["De", "fikk", "gode", "råd", "."], ["de", "få", "god", "råd", "."])
    assert matcher.function_cues(council) == []
    assert [(c.label, c.text) for c in matcher.function_cues(advice)] == [("treatment_recommendation", "råd")]


def test_a_post_is_found_by_its_form_where_the_lemma_cut_it_short(nlp):
    from diskurs.entities.actors import load_actors

    titled = LexiconMatcher(load_lexicon(), nlp.vocab, titles=frozenset(load_actors().role_words))
    words = ["Kommunene", "har", "ansatt", "en", "innovasjonsinnkjøper", "."]
    doc = lemmatised(nlp, words, ["kommune", "ha", "ansette", "en", "innovasjonsinnkjøp", "."])
    assert frames_of(titled, doc) == {}


def test_words_inside_names_are_not_frame_cues(nlp, matcher):
    doc = lemmatised(
        nlp,
        ["Møte", "i", "Næringsdepartementet", "om", "bærekraft"],
        ["møte", "i", "næringsdepartement", "om", "bærekraft"],
        ents=[(2, 3, "ORG")],
    )
    assert frames_of(matcher, doc) == {"sustainability": "bærekraft"}


def test_sentence_function_follows_the_lexicon_priority(nlp, matcher):
    (record,) = matcher.sentences(nlp("Vi må løse utfordringene sammen med leverandørene."))
    assert record.functions.keys() == {"treatment_recommendation"}
    (record,) = matcher.sentences(nlp("Dette er et viktig problem."))
    assert set(record.functions) == {"problem_definition", "moral_evaluation"}
    assert record.function == "problem_definition"


def test_every_positive_document_score_has_evidence_rows(nlp, matcher):
    doc = nlp("Dialog skaper tillit. Vi har et problem. Været er fint.")
    records = matcher.sentences(doc)
    frames = load_lexicon().frame_names
    scores = {row["frame"]: row for row in document_frame_rows("a.txt", "a", records, frames)}
    evidence = evidence_rows("a.txt", "a", records)
    assert scores["collaboration_trust"]["score"] == pytest.approx(1 / 3, abs=1e-4)
    for frame, row in scores.items():
        rows = [e for e in evidence if e["frame"] == frame]
        assert (row["score"] > 0) == bool(rows)
        assert len({e["sentence_id"] for e in rows}) == row["sentences"]


def test_a_share_carries_its_count_its_base_and_its_wilson_interval(nlp, matcher):
    # 3 of 7: p = 3/7, z = 1.96; centre (p + z²/14) / (1 + z²/7) = 0.4539, half-width
    # z·sqrt(p(1−p)/7 + z²/196) / (1 + z²/7) = 0.2957, so 0.158 to 0.750.
    assert wilson(3, 7) == pytest.approx((0.1582, 0.7495), abs=1e-4)
    assert wilson(0, 5)[0] == 0.0 and wilson(5, 5)[1] == 1.0 and wilson(0, 0) is None
    # The same as scipy's Wilson interval, over counts small and large.
    from scipy.stats import binomtest

    for count, total in ((1, 3), (7, 19), (40, 41), (250, 1000)):
        interval = binomtest(count, total).proportion_ci(method="wilson")
        assert wilson(count, total) == pytest.approx((interval.low, interval.high), abs=1e-4)
    doc = nlp("Dialog skaper tillit. Vi har et problem. Været er fint.")
    rows = {
        r["frame"]: r for r in document_frame_rows("a.txt", "a", matcher.sentences(doc), load_lexicon().frame_names)
    }
    trust = rows["collaboration_trust"]
    assert (trust["sentences"], trust["of_sentences"]) == (1, 3)
    assert (trust["ci_low"], trust["ci_high"]) == wilson(1, 3)

    # An actor named in four sentences, one of which evokes a frame: a share of 1 in 4.
    records = matcher.sentences(nlp("Dialog skaper tillit. Været er fint. Det regner. Sola skinner."))
    actors = ActorFrames()
    actors.add("a", records, [], {record.sentence_id: {("Helse Vest RHF", "organisation")} for record in records})
    (row,) = actors.rows()
    assert (row["frame"], row["sentences"], row["actor_sentences"], row["share"]) == ("collaboration_trust", 1, 4, 0.25)
    assert (row["ci_low"], row["ci_high"]) == wilson(1, 4)


def test_a_negated_obstacle_or_problem_is_denied_and_other_frames_are_not(model_path):
    real = spacy.load(model_path)
    negating = LexiconMatcher(load_lexicon(), real.vocab)

    def codes(text):
        doc = real(text)
        return {cue.label for cue in negating.frame_cues(doc) + negating.function_cues(doc)}

    assert not codes("De ansatte er ikke et hinder.") & {"barriers_risk", "problem_definition"}
    assert not codes("Vi ser ingen store hindringer.") & {"barriers_risk", "problem_definition"}
    assert {"barriers_risk", "problem_definition"} <= codes("Det største hinderet er regelverket.")
    # A word other than a determiner or an adjective ends the negation's reach.
    assert "barriers_risk" in codes("Dette er ikke bare et problem for kommunen.")
    # Talk of innovation that falls short is still talk of innovation.
    assert "innovation" in codes("Løsningen er ikke innovativ nok.")


def test_a_hedged_sentence_keeps_its_codes_and_its_evidence_names_the_hedge(model_path):
    real = spacy.load(model_path)
    doc = real("Regelverket er trolig det største hinderet. Kommunen samarbeider med leverandørene.")
    hedged, plain = LexiconMatcher(load_lexicon(), real.vocab).sentences(doc)
    assert "barriers_risk" in hedged.frames and hedged.hedges == ["trolig"]
    assert "collaboration_trust" in plain.frames and plain.hedges == []
    rows = evidence_rows("a.txt", "d", [hedged, plain])
    assert {row["frame"]: row["hedge"] for row in rows}["barriers_risk"] == "trolig"
    assert {row["frame"]: row["hedge"] for row in rows}["collaboration_trust"] == ""


def test_lexicon_errors_name_the_file_and_the_entry(tmp_path):
    bad = tmp_path / "frames.yaml"
    bad.write_text("frames:\n  demo:\n    stems: [inn]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"frames\.yaml.*frames\.demo\.stems.*shorter"):
        load_lexicon(bad)
    bad.write_text("frames:\n  demo:\n    lemma: [x]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="unknown keys"):
        load_lexicon(bad)
    bad.write_text("frames:\n  demo:\n    lemmas: [x]\n    negatable: ja\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"frames\.demo\.negatable must be true or false"):
        load_lexicon(bad)
    with pytest.raises(LexiconError, match="not found"):
        load_lexicon(tmp_path / "missing.yaml")


MENTIONS = [
    {"doc_id": "a", "sentence_id": "", "text": "Kari Nordmann", "label": "PER", "canonical": "Kari Nordmann"},
    {"doc_id": "a", "sentence_id": "", "text": "KS", "label": "ORG", "canonical": "KS"},
    {"doc_id": "a", "sentence_id": "0", "text": "Nordmann", "label": "PER", "canonical": "Kari Nordmann"},
    {"doc_id": "a", "sentence_id": "0", "text": "Bergen", "label": "GPE_LOC", "canonical": "Bergen"},
    {"doc_id": "a", "sentence_id": "1", "text": "HV", "label": "ORG", "canonical": "Helse Vest RHF"},
    {"doc_id": "a", "sentence_id": "1", "text": "Helse Vests", "label": "ORG", "canonical": "Helse Vest RHF"},
    {
        "doc_id": "b",
        "sentence_id": "2",
        "text": "Stavanger kommune",
        "label": "GPE_ORG",
        "canonical": "Stavanger kommune",
    },
]


def test_the_actors_named_in_a_sentence_are_the_mentions_of_the_entities_stage():
    index = ActorIndex(MENTIONS)
    # Byline mentions name nobody in a sentence; places are no actors of the frames.
    assert index.named("a") == {0: {("Kari Nordmann", "person")}, 1: {("Helse Vest RHF", "organisation")}}
    assert index.named("b") == {2: {("Stavanger kommune", "organisation")}}
    assert index.named("c") == {}


def test_speakers_take_the_canonical_names_and_only_actors_have_a_voice():
    index = ActorIndex(MENTIONS)
    speaker = index.speaker(Person("Nordmann", "leder", "Helse Vests (HV)"), "a")
    assert speaker == Person("Kari Nordmann", "leder", "Helse Vest RHF")
    assert index.voices(Quote(speaker, "Vi må samarbeide.", [1]), "a") == {
        ("Kari Nordmann", "person"),
        ("Helse Vest RHF", "organisation"),
    }
    stranger = index.speaker(Person("Ola Ukjent", "", "Ukjent AS"), "a")
    assert stranger == Person("Ola Ukjent", "", "Ukjent AS")
    assert index.voices(Quote(stranger, "Ja.", [0]), "a") == set()
    # Without the entities stage's tables, speakers count as the text names them.
    assert ActorIndex().voices(Quote(stranger, "Ja.", [0]), "a") == {
        ("Ola Ukjent", "person"),
        ("Ukjent AS", "organisation"),
    }
