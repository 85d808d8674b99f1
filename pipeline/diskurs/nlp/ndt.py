"""Reading NDT-format files (NorNE) and turning them into gold spaCy Docs.

NDT (the Norwegian Dependency Treebank) has one token a line: id, form, lemma, POS, POS, features,
head, deprel, _, ``name=B-PER``. Sentences are separated by a blank line; a file is one source text
and becomes one Doc, so that the entity recogniser sees each sentence in its context.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc
from spacy.training import biluo_tags_to_spans, iob_to_biluo
from spacy.vocab import Vocab

from diskurs.nlp.udmap import to_ud_feats, to_upos

# Tokens that attach to the word before them / after them when the running text is rebuilt.
NO_SPACE_BEFORE = frozenset({",", ".", ":", ";", "!", "?", ")", "]", "}", "»", "%", "...", "…"})
NO_SPACE_AFTER = frozenset({"(", "[", "{", "«"})


@dataclass(frozen=True)
class NdtToken:
    form: str
    lemma: str
    pos: str
    feats: tuple[str, ...]
    head: int
    deprel: str
    name: str


def read_sentences(path: Path | str) -> Iterator[list[NdtToken]]:
    """Stream the sentences of one NDT file, each a list of tokens."""
    sentence: list[NdtToken] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                if sentence:
                    yield sentence
                    sentence = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 10:
                raise ValueError(f"{path}:{number}: expected 10 tab-separated columns, found {len(cols)}")
            feats = tuple(f for f in cols[5].split("|") if f and f != "_")
            sentence.append(
                NdtToken(
                    form=cols[1],
                    lemma=cols[2],
                    pos=cols[3],
                    feats=feats,
                    head=int(cols[6]),
                    deprel=cols[7],
                    name=_name_tag(cols[9]),
                )
            )
    if sentence:
        yield sentence


def _name_tag(misc: str) -> str:
    for part in misc.split("|"):
        if part.startswith("name="):
            return part[len("name=") :]
    return "O"


def clean_lemma(token: NdtToken) -> str:
    """NDT writes punctuation lemmas as ``$,``; the lemma proper is what follows the ``$``."""
    if token.lemma.startswith("$") and len(token.lemma) > 1:
        return token.lemma[1:]
    return token.lemma


def spaces_after(forms: list[str]) -> list[bool]:
    """Guess where running text had a space: none before closing punctuation or after an opening one.

    Straight double quotes alternate between opening and closing within a sentence.
    """
    spaces = [True] * len(forms)
    quote_open = False
    for i, form in enumerate(forms):
        if form == '"':
            if quote_open:
                if i > 0:
                    spaces[i - 1] = False
            else:
                spaces[i] = False
            quote_open = not quote_open
        if form in NO_SPACE_AFTER:
            spaces[i] = False
        if form in NO_SPACE_BEFORE and i > 0:
            spaces[i - 1] = False
    return spaces


def sentence_upos(sentence: list[NdtToken]) -> list[str]:
    """Universal POS for every token of a sentence (the verb/auxiliary choice needs the tree)."""
    return [to_upos(token, sentence) for token in sentence]


def doc_from_file(vocab: Vocab, path: Path | str) -> Doc:
    """One gold Doc for one NDT file: UPOS, UD features, lemmas, sentence starts, entities."""
    words: list[str] = []
    lemmas: list[str] = []
    pos: list[str] = []
    morphs: list[str] = []
    sent_starts: list[bool] = []
    iob: list[str] = []
    for sentence in read_sentences(path):
        upos = sentence_upos(sentence)
        for i, token in enumerate(sentence):
            words.append(token.form)
            lemmas.append(clean_lemma(token))
            pos.append(upos[i])
            morphs.append(to_ud_feats(token, upos[i]))
            sent_starts.append(i == 0)
            iob.append(token.name)
    doc = Doc(
        vocab,
        words=words,
        spaces=spaces_after(words),
        pos=pos,
        morphs=morphs,
        lemmas=lemmas,
        sent_starts=sent_starts,
    )
    doc.ents = biluo_tags_to_spans(doc, iob_to_biluo(iob))
    return doc


def ndt_files(folder: Path | str) -> list[Path]:
    """The NDT files of a folder, in a fixed order."""
    folder = Path(folder)
    files = sorted(folder.glob("*.conll"))
    if not files:
        raise FileNotFoundError(
            f"{folder}: no NDT files (*.conll) found. Point it at a NorNE split such as "
            "../shared/norne/nob/dev (NorNE: https://github.com/ltgoslo/norne)."
        )
    return files


def docs_from_folder(vocab: Vocab, folder: Path | str) -> Iterator[Doc]:
    """Stream one gold Doc per NDT file of a folder."""
    for path in ndt_files(folder):
        yield doc_from_file(vocab, path)
