"""The jusText-style paragraph classifier on short Norwegian documents written for the tests."""

from __future__ import annotations

from diskurs.clean.classifier import ClassifierSettings, classify, load_stoplist

SETTINGS = ClassifierSettings(stoplist=load_stoplist("Norwegian_Bokmal"))

TEXT_1 = (
    "Kommunen har gjennomført en markedsdialog med mange leverandører, og det kom fram at "
    "flere av dem kunne levere en løsning som passer for hjemmetjenesten i kommunen."
)
TEXT_2 = (
    "Når konkurransen er over, skal løsningen prøves ut i to år, og de ansatte skal være med "
    "på å bestemme hva som må endres før den tas i bruk i hele kommunen."
)


def test_heading_and_list_between_text_survive():
    paragraphs = [
        TEXT_1,
        "Krav til løsningen",
        "• Enkel pålogging",
        "• Deling med fastlegen",
        TEXT_2,
    ]
    assert classify(paragraphs, SETTINGS) == [None] * 5


def test_run_of_short_debris_between_boilerplate_goes():
    paragraphs = [
        TEXT_1,
        TEXT_2,
        None,  # "Les også", removed by the pattern layer
        "Sykehus prøver nye senger",
        "Ny veileder for dialog",
        None,  # copyright line
    ]
    result = classify(paragraphs, SETTINGS)
    assert result[:3] == [None, None, None]
    assert result[3] == result[4] == "short_among_boilerplate"
    assert result[5] is None  # not the classifier's to report


def test_contact_lines_after_the_text_go_but_a_closing_sentence_stays():
    paragraphs = [
        TEXT_1,
        "Les mer i rapporten som kommer i mars.",
        "Kari Eksempel",
        "Helse- og omsorgssjef",
        None,  # "Telefon: …"
    ]
    result = classify(paragraphs, SETTINGS)
    assert result[1] is None
    assert result[2] == result[3] == "short_next_to_boilerplate"


def test_short_news_paragraphs_are_kept_without_long_neighbours():
    # News paragraphs are often shorter than jusText's 200 characters; a picture credit
    # between them (removed earlier) must not make them look isolated.
    paragraphs = [
        TEXT_1,
        None,
        "– Vi vet hva vi trenger, men ikke hvordan det skal lages, sier prosjektlederen.",
        "Behovet kom fra sykepleierne",
        "Det var hjemmesykepleien som først meldte inn behovet til kommunen.",
        None,
    ]
    assert classify(paragraphs, SETTINGS) == [None] * 6


def test_long_line_without_stop_words_is_bad_unless_a_list_item():
    menu = "Nyheter Anskaffelser Helse Teknologi Debatt Arrangementer Stillinger Annonsering Kontakt"
    item = "1) Sykehuset Eksempel: Pasientflyt - digital oversikt over senger, rom og utstyr"
    result = classify([TEXT_1, menu, TEXT_2, item, TEXT_1], SETTINGS)
    assert result == [None, "few_stopwords", None, None, None]


def test_copyright_sign_is_bad():
    assert classify([TEXT_1, "© Eksempel AS"], SETTINGS) == [None, "copyright_sign"]


def test_document_without_good_text_is_left_alone():
    paragraphs = ["Meny", "Søk", "Kort melding", None]
    assert classify(paragraphs, SETTINGS) == [None] * 4
