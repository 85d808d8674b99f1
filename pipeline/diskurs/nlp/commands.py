"""Command-line commands for the model: convert NorNE, evaluate a model, publish a trained one.

spaCy is imported inside the commands so that ``diskurs --help`` stays instant.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from diskurs.io import atomic_open
from diskurs.params import PARAMS_OPTION

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of gold NDT files, e.g. ../shared/norne/nob/dev.",
)


@click.command("convert-ndt")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--text",
    "text_file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write each sentence's running text as JSON Lines, the input of `spacy pretrain`.",
)
def convert_ndt(folder: Path, output: Path, text_file: Path | None) -> None:
    """Convert the NDT files in FOLDER (one document per file) to a spaCy DocBin at OUTPUT."""
    from diskurs.nlp.convert import convert_folder, write_raw_text

    documents, tokens = convert_folder(folder, output)
    click.echo(f"{output}: {documents} documents, {tokens} tokens from {folder}", err=True)
    if text_file is not None:
        sentences = write_raw_text(folder, text_file)
        click.echo(f"{text_file}: {sentences} sentences", err=True)


@click.command("evaluate-model")
@DATA_OPTION
@click.option(
    "--model",
    default="models/nb_diskurs_sm",
    show_default=True,
    help="Pipeline folder or installed package name (e.g. nb_core_news_sm).",
)
@click.option(
    "--json",
    "json_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the scores.",
)
@click.option("--limit", type=int, default=None, help="Score only the first N files.")
@click.option(
    "--speed-runs",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Passes over the texts; words per second is that of the fastest.",
)
@click.option(
    "--ordbank-lemmas",
    is_flag=True,
    help="Score the lemmas as the annotate stage makes them: repaired from Norsk Ordbank.",
)
@click.option(
    "--train-data",
    "train_dir",
    default=None,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of the model's NDT training files: split the entity errors by whether each gold name occurs there.",
)
def evaluate_model(
    data_dir: Path,
    model: str,
    json_file: Path,
    limit: int | None,
    speed_runs: int,
    ordbank_lemmas: bool,
    train_dir: Path | None,
) -> None:
    """Score a model on gold NDT files: entities, UPOS, lemmas, sentences, words per second."""
    from diskurs.nlp.evaluate import evaluate
    from diskurs.nlp.loader import load_model, model_info
    from diskurs.nlp.ner_errors import names_in
    from diskurs.nlp.ordbank import add_ordbank_lemmas, load_ordbank

    nlp = load_model(model)
    if ordbank_lemmas:
        add_ordbank_lemmas(nlp)
        # Read the tables before the clock starts: their one-off loading is no cost per word.
        load_ordbank()
    known_names = names_in(nlp.vocab, train_dir) if train_dir is not None else None
    scores = evaluate(nlp, data_dir, limit=limit, speed_runs=speed_runs, known_names=known_names)
    scores["model"] = model_info(nlp)
    with atomic_open(json_file) as handle:
        json.dump(scores, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    click.echo(
        f"{model} on {data_dir}: NER F1 {scores['ents_f']:.4f}, UPOS {scores['pos_acc']:.4f}, "
        f"lemma {scores['lemma_acc']:.4f}, sentences F1 {scores['sents_f']:.4f}, "
        f"{scores['words_per_second']} words/s",
        err=True,
    )


@click.command("publish-model")
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Trained pipeline folder, e.g. models/train/training/model-best.",
)
@click.option(
    "--metrics",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Its scores from evaluate-model, e.g. models/train/training/metrics.json.",
)
@click.option(
    "--to",
    "target",
    default="models/nb_diskurs_sm",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The shipped model folder.",
)
@click.option("--version", default=None, help="Version to stamp; default: the shipped one's next minor.")
@click.option("--force", is_flag=True, help="Publish even if NER F1 does not beat the shipped model.")
def publish_model(source: Path, metrics: Path, target: Path, version: str | None, force: bool) -> None:
    """Copy a trained pipeline and its metrics.json to the shipped model folder if it scores better."""
    from diskurs.nlp.publish import publish

    meta = publish(source, metrics, target, force=force, version=version)
    click.echo(
        f"{target}: published {meta['lang']}_{meta['name']} {meta['version']} "
        f"(NER F1 {meta['performance']['ents_f']:.4f})",
        err=True,
    )


@click.command("evaluate-entities")
@DATA_OPTION
@PARAMS_OPTION
@click.option(
    "--json",
    "json_file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the scores.",
)
@click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the rebuilt texts and the pipeline's results here (default: a temporary folder).",
)
def evaluate_entities(data_dir: Path, params_file: Path, json_file: Path | None, out_dir: Path | None) -> None:
    """Score the whole entities stage on NDT files rebuilt as plain texts: PER, ORG, LOC names per document."""
    import tempfile

    from diskurs.cli import STAGES, _ingest, _run_stage, writing
    from diskurs.nlp.evaluate_entities import found_names, rebuild, score
    from diskurs.params import load_params

    with tempfile.TemporaryDirectory(prefix="diskurs-entities-") as scratch:
        root = Path(out_dir or scratch)
        texts = root / "texts"
        gold = rebuild(data_dir, texts)
        params = load_params(params_file, {("corpus", "input"): str(texts)}, check=True)
        with writing(root / "results") as layout:
            _ingest(texts, layout, params)
            for name, module, function, _ in STAGES:
                if name in ("clean", "annotate", "entities"):
                    _run_stage(name, module, function, layout, params)
            scores = score(gold, found_names(layout))
    for group, values in scores.items():
        click.echo(
            f"{group}: P {values['precision']:.3f} R {values['recall']:.3f} F1 {values['f1']:.3f} "
            f"({values['correct']} of {values['gold']} gold names found, {values['found']} found)"
        )
    if json_file is not None:
        with atomic_open(json_file) as handle:
            handle.write(
                json.dumps(
                    {"data": str(data_dir), "documents": len(gold), "scores": scores}, ensure_ascii=False, indent=2
                )
                + "\n"
            )


# Raw running text: JSON Lines files with a `text` field, gzipped or not.
RAW_TEXT = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


def output_option(help_text: str):
    return click.option(
        "--out", "output", required=True, type=click.Path(dir_okay=False, path_type=Path), help=help_text
    )


@click.command("tokenize-text")
@RAW_TEXT
@output_option("Tokenised text, one paragraph a line.")
def tokenize_text(inputs: tuple[Path, ...], output: Path) -> None:
    """Tokenise raw text (JSON Lines with a `text` field, optionally gzipped) for train-vectors."""
    from diskurs.nlp.vectors import tokenize_text as run

    lines, tokens = run(inputs, output)
    click.echo(f"{output}: {lines} lines, {tokens} tokens", err=True)


@click.command("sample-text")
@RAW_TEXT
@output_option("The sample, JSON Lines of paragraphs, for `spacy pretrain`.")
@click.option("--words", type=click.IntRange(min=1), required=True, help="About how many words to keep.")
@click.option("--seed", type=int, default=0, show_default=True, help="Another seed draws another sample.")
def sample_text(inputs: tuple[Path, ...], output: Path, words: int, seed: int) -> None:
    """Sample paragraphs of raw text (JSON Lines with a `text` field, optionally gzipped) for pretraining."""
    from diskurs.nlp.vectors import sample_paragraphs

    kept, kept_words = sample_paragraphs(inputs, output, words=words, seed=seed)
    click.echo(f"{output}: {kept} paragraphs, {kept_words} words", err=True)


@click.command("train-vectors")
@click.argument("text", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_option("floret vectors, for `spacy init vectors --mode floret`.")
@click.option("--dim", type=click.IntRange(min=1), default=100, show_default=True)
@click.option(
    "--bucket",
    type=click.IntRange(min=1),
    default=50000,
    show_default=True,
    help="Rows of the hash table: the size of the vectors in the model.",
)
@click.option("--minn", type=click.IntRange(min=1), default=4, show_default=True, help="Shortest character n-gram.")
@click.option("--maxn", type=click.IntRange(min=1), default=5, show_default=True, help="Longest character n-gram.")
@click.option(
    "--hash-count",
    type=click.IntRange(min=1, max=4),
    default=2,
    show_default=True,
    help="Rows each word and n-gram is hashed to.",
)
@click.option("--epoch", type=click.IntRange(min=1), default=5, show_default=True)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Rarer words get no vector of their own, only their n-grams'.",
)
@click.option("--threads", type=click.IntRange(min=1), default=2, show_default=True)
def train_vectors(text: Path, output: Path, **settings: int) -> None:
    """Train floret word vectors on TEXT (the output of tokenize-text)."""
    from diskurs.nlp.vectors import train_floret

    train_floret(text, output, **settings)
    click.echo(f"{output}: floret vectors, {settings['bucket']} rows of {settings['dim']}", err=True)
