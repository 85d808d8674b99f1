"""Views of an annotated Doc that every stage after annotate shares: one place for each."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token


def doc_key(doc: Doc) -> tuple[str, str]:
    """(source, doc_id) as the annotate stage stored them."""
    return str(doc.user_data.get("source", "")), str(doc.user_data.get("doc_id", ""))


def token_lemma(token: Token) -> str:
    """The lower-cased lemma, or the lower-cased form where the pipeline set no lemma."""
    return (token.lemma_ or token.text).lower()


def one_line(text: str) -> str:
    """Text on one line: spreadsheets show hard line breaks as tall, unreadable rows."""
    return " ".join(text.split())


def sentence_text(span: Span) -> str:
    """A sentence (or any span) on one line."""
    return one_line(span.text)


@dataclass(frozen=True)
class Sentences:
    """The sentences of a Doc and the sentence of each token.

    Sentence ids count every sentence of the Doc from 0, the blank ones between paragraphs too:
    they are the ``sentence_id`` of every table, so that a mention, a frame cue and a quote in
    the same sentence carry the same id.
    """

    spans: list[Span]
    of_token: list[int]  # token index -> sentence id
    doc_text: str  # read once: spaCy joins every token's text at each read of a Doc's or Span's text

    @classmethod
    def of(cls, doc: Doc) -> Sentences:
        spans = list(doc.sents) if len(doc) else []
        of_token = [0] * len(doc)
        for sentence_id, sent in enumerate(spans):
            of_token[sent.start : sent.end] = [sentence_id] * len(sent)
        return cls(spans, of_token, doc.text)

    def __len__(self) -> int:
        return len(self.spans)

    def text(self, sentence_id: int) -> str:
        """The sentence's text, as ``Span.text`` gives it."""
        span = self.spans[sentence_id]
        return self.doc_text[span.start_char : span.end_char]

    def line(self, sentence_id: int) -> str:
        """The sentence on one line (see :func:`one_line`)."""
        return one_line(self.text(sentence_id))

    def bounds(self, sentence_id: int) -> tuple[int, int]:
        """Where the sentence's text begins and ends in the Doc's text, in characters (end
        exclusive), without the white space around it: a paragraph's line break stays with the
        sentence before it."""
        text, start = self.text(sentence_id), self.spans[sentence_id].start_char
        return start + len(text) - len(text.lstrip()), start + len(text.rstrip())


def paragraph_starts(doc: Doc) -> list[int]:
    """Index of the first token of each paragraph: text after a line break starts a new one."""
    starts = [0]
    for token in doc[:-1]:
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            starts.append(token.i + 1)
    return starts


def paragraphs(doc: Doc) -> list[Span]:
    """The paragraphs of a Doc as spans (empty ones left out)."""
    starts = paragraph_starts(doc)
    spans = [doc[start:end] for start, end in zip(starts, starts[1:] + [len(doc)])]
    return [span for span in spans if span.text.strip()]
