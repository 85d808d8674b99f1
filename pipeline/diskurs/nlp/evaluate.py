"""Scoring a spaCy pipeline against gold NDT files: entities, UPOS, lemmas, sentences and speed.

The pipeline sees only the running text rebuilt from each gold document and tokenises it itself;
spaCy's ``Example`` aligns its tokens with the gold ones, so a pipeline whose tokeniser splits
differently from NDT is scored fairly (a token that does not align counts as wrong).
"""

from __future__ import annotations

import time
from collections.abc import Collection
from pathlib import Path

from spacy.language import Language
from spacy.scorer import Scorer, get_ner_prf
from spacy.training import Example
from threadpoolctl import threadpool_limits

from diskurs.nlp.ndt import docs_from_folder
from diskurs.nlp.ner_errors import entity_errors


def evaluate(
    nlp: Language,
    folder: Path | str,
    limit: int | None = None,
    speed_runs: int = 3,
    known_names: Collection[str] | None = None,
) -> dict:
    """Scores of ``nlp`` on the NDT files of ``folder`` (the first ``limit`` files if given).

    Keys: ents_p, ents_r, ents_f, ents_per_type, pos_acc, lemma_acc, sents_f, words_per_second,
    plus documents and words (the gold token count the speed is measured on) and ents_errors,
    the entity errors by kind (split by ``known_names``, the training data's names, if given;
    see ``diskurs.nlp.ner_errors``). The speed covers the whole pipeline, tokeniser included,
    in one process on one thread, best of ``speed_runs`` passes (the pipeline's output is the
    same in every pass).
    """
    gold = []
    for doc in docs_from_folder(nlp.vocab, folder):
        if limit is not None and len(gold) >= limit:
            break
        gold.append(doc)
    texts = [doc.text for doc in gold]
    words = sum(len(doc) for doc in gold)
    # One thread, timed in CPU seconds of this process: words per second on one core. The
    # fastest of a few passes, as other work on the machine can only slow a pass down.
    elapsed = float("inf")
    with threadpool_limits(limits=1):
        for _ in range(max(1, speed_runs)):
            start = time.process_time()
            predicted = list(nlp.pipe(texts))
            elapsed = min(elapsed, time.process_time() - start)
    examples = [Example(pred, ref) for pred, ref in zip(predicted, gold)]
    ents = get_ner_prf(examples)
    pos = Scorer.score_token_attr(examples, "pos")
    lemma = Scorer.score_token_attr(examples, "lemma")
    sents = Scorer.score_spans(examples, "sents", has_annotation=lambda doc: doc.has_annotation("SENT_START"))
    return {
        "ents_p": ents["ents_p"],
        "ents_r": ents["ents_r"],
        "ents_f": ents["ents_f"],
        "ents_per_type": {label: ents["ents_per_type"][label] for label in sorted(ents["ents_per_type"])},
        "pos_acc": pos["pos_acc"],
        "lemma_acc": lemma["lemma_acc"],
        "sents_f": sents["sents_f"],
        "words_per_second": round(words / elapsed) if elapsed else None,
        "documents": len(gold),
        "words": words,
        "ents_errors": entity_errors(examples, known_names),
    }
