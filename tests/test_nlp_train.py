"""The committed training config, shrunk to run in seconds: floret vectors, pretraining, then
training on a few hundred NorNE sentences, gives a pipeline that works."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.cli.pretrain import pretrain
from spacy.cli.train import train
from spacy.training.initialize import convert_vectors
from spacy.util import load_config

from diskurs.nlp.convert import convert_folder, write_raw_text
from diskurs.nlp.evaluate import evaluate
from diskurs.nlp.vectors import tokenize_text, train_floret

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "models" / "train" / "configs" / "nb_diskurs_sm.cfg"

# Same architecture and components as the committed config; only sizes and length are cut.
TINY = {
    "components.tok2vec.model.encode.width": 32,
    "components.tok2vec.model.encode.depth": 2,
    "components.tok2vec.model.embed.rows": [1000, 500, 500, 500],
    "components.ner.model.hidden_width": 16,
    # Sentence-sized examples give many small updates, which a short run needs.
    "corpora.train.max_length": 60,
    "training.max_epochs": 5,
    "training.max_steps": 0,
    "training.eval_frequency": 1000,
    "training.patience": 0,
    "pretraining.max_epochs": 1,
    "pretraining.n_save_epoch": None,
}


def test_committed_config_pretrains_and_trains_a_working_pipeline(norne, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    # Three source texts, about 270 sentences.
    for name in ("ap013_0000.conll", "ap013_0001.conll", "ap013_0002.conll"):
        (data / name).write_bytes((norne / "dev" / name).read_bytes())
    corpus = tmp_path / "train.spacy"
    text = tmp_path / "text.jsonl"
    documents, tokens = convert_folder(data, corpus)
    assert documents == 3 and tokens > 3000
    assert write_raw_text(data, text) > 250

    # Vectors from the same text, as the vectors stage makes them from the raw corpus.
    tokenized = tmp_path / "text.txt"
    lines, words = tokenize_text([text], tokenized)
    assert lines > 250 and words > 3000
    floret_vectors = tmp_path / "vectors.floret"
    train_floret(
        tokenized, floret_vectors, dim=16, bucket=2000, minn=4, maxn=5, hash_count=2, epoch=1, min_count=1, threads=1
    )
    vectors = tmp_path / "vectors"
    # What `spacy init vectors nb … --mode floret` does.
    with_vectors = spacy.blank("nb")
    convert_vectors(with_vectors, floret_vectors, truncate=0, prune=-1, mode="floret")
    with_vectors.to_disk(vectors)
    assert spacy.load(vectors).vocab.vectors.shape == (2000, 16)

    paths = {
        "paths.train": str(corpus),
        "paths.dev": str(corpus),
        "paths.raw_text": str(text),
        "paths.vectors": str(vectors),
    }
    pretrained = tmp_path / "pretrain"
    pretrained.mkdir()
    config = load_config(CONFIG, overrides={**paths, **TINY}, interpolate=False).interpolate()
    pretrain(config, pretrained)
    weights = pretrained / "model-last.bin"
    assert weights.stat().st_size > 0

    output = tmp_path / "out"
    train(CONFIG, output, overrides={**paths, "paths.init_tok2vec": str(weights), **TINY})

    nlp = spacy.load(output / "model-last")
    # Every word has a vector, also one the text never had: floret builds it from its letters.
    assert nlp.vocab.vectors.mode == "floret" and nlp("Helseplattformen")[0].has_vector
    assert nlp.pipe_names == ["tok2vec", "morphologizer", "trainable_lemmatizer", "senter", "ner"]
    assert {"PER", "ORG", "GPE_LOC"} <= set(nlp.get_pipe("ner").labels)
    # The config's tokeniser setting is in the trained model.
    assert [token.text for token in nlp.tokenizer("støtte fra Frp.")] == ["støtte", "fra", "Frp", "."]
    scores = evaluate(nlp, data, speed_runs=1)
    # After a few epochs on its own training text the tagger and lemmatizer must have learnt
    # far more than the majority class (NOUN is about a fifth of the tokens).
    assert scores["pos_acc"] > 0.6
    assert scores["lemma_acc"] > 0.6
    assert scores["words_per_second"] > 0
