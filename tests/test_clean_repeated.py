"""Lines repeated across the corpus."""

from __future__ import annotations

from diskurs.clean.repeated import document_keys, find_repeated, line_key


def test_key_ignores_case_spacing_and_digits():
    assert line_key("© 2023  Eksempel AS") == line_key("© 2024 eksempel as")
    assert line_key("Eksempel AS") != line_key("Eksempel ASA")


def test_document_keys_skip_blank_and_long_lines():
    text = "Kort linje\n\nKort linje\n" + "lang " * 50
    assert document_keys(text, max_chars=200) == {"kort linje"}


def test_threshold_is_both_a_count_and_a_share():
    footer = {"eksempelavisen – nyheter om innkjøp"}
    documents = [footer | {f"tekst {n}"} for n in "abc"] + [{"tekst d"}] * 3
    repeated = find_repeated(documents, min_documents=3, min_share=0.4)
    assert repeated.documents == 6 and repeated.threshold == 3
    assert "Eksempelavisen – nyheter om innkjøp" in repeated
    assert "tekst d" in repeated  # three documents carry it too
    stricter = find_repeated(documents, min_documents=3, min_share=0.6)
    assert stricter.threshold == 4 and not stricter.keys
