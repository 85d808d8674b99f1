"""The model's tokeniser: spaCy's Norwegian rules without the abbreviations that are also words.

spaCy's bokmål exceptions keep "Frp.", "Sp.", "Ap.", "min.", "ti.", "to.", "i.", "jul." whole
as abbreviations, so a sentence that ends in a party's name ("... sier Frp.") or in an everyday
word ("mora min.", "i jul.") keeps its full stop inside the last word. The name then matches no
gold span, the sentence runs on, and the word's tag and lemma are those of an abbreviation.
Today's newspapers write the parties without a point, so the point after them ends the
sentence. In NorNE's bokmål train and dev a sentence ends in "Frp" six times and "Frp." names the
party once; "Ap." names it three times, in older text, and no sentence ends in "Ap": it goes with
the others, as in a researcher's recent texts the sentence-final party is the common case.
"ti." and "to." are weekdays and also numbers. "):" is an emoticon in spaCy's base rules, and in
running text a bracket followed by a colon.

The list is a setting of the training config (``[initialize.before_init]``), so that it is saved
with the model; the model folder then loads with plain spaCy, as the rules are stored in its
tokenizer file.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.util import registry

DROP_EXCEPTIONS = "diskurs.drop_tokenizer_exceptions.v1"


@registry.callbacks(DROP_EXCEPTIONS)
def drop_tokenizer_exceptions(exceptions: list[str]) -> Callable[[Language], Language]:
    """A ``before_init`` callback that removes ``exceptions`` from the tokeniser's special cases."""

    def drop(nlp: Language) -> Language:
        rules = dict(nlp.tokenizer.rules)
        unknown = [orth for orth in exceptions if orth not in rules]
        if unknown:
            raise ValueError(
                f"[initialize.before_init] exceptions: {', '.join(unknown)} is not a special case of "
                f"the {nlp.lang} tokeniser; remove it from the list."
            )
        for orth in exceptions:
            del rules[orth]
        nlp.tokenizer.rules = rules
        return nlp

    return drop
