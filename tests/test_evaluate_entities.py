"""evaluate-entities: NDT files rebuilt as texts, put through the pipeline, names scored per document."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from diskurs.cli import main
from diskurs.nlp.evaluate_entities import rebuild, score

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "norne" / "nob" / "dev"
SENTENCES = (
    "1\tKari\tKari\tprop\t_\t_\t2\tSUBJ\t_\tname=B-PER\n"
    "2\tNordvik\tNordvik\tprop\t_\t_\t3\tSUBJ\t_\tname=I-PER\n"
    "3\tleder\tlede\tverb\t_\t_\t0\tFINV\t_\t_\n"
    "4\tHelse\tHelse\tprop\t_\t_\t3\tDOBJ\t_\tname=B-ORG\n"
    "5\tVest\tVest\tprop\t_\t_\t4\tATR\t_\tname=I-ORG\n"
    "6\ti\ti\tprep\t_\t_\t3\tADV\t_\t_\n"
    "7\tBergen\tBergen\tprop\t_\t_\t6\tPUTFYLL\t_\tname=B-GPE_LOC\n"
    "8\t.\t$.\tclb\t_\t_\t3\tIP\t_\t_\n"
)


def test_a_file_becomes_a_text_with_its_gold_names(tmp_path):
    folder = tmp_path / "ndt"
    folder.mkdir()
    (folder / "sak.conll").write_text(SENTENCES + "\n", encoding="utf-8")
    gold = rebuild(folder, tmp_path / "texts")
    assert (tmp_path / "texts" / "sak.txt").read_text(encoding="utf-8") == "Kari Nordvik leder Helse Vest i Bergen.\n"
    assert gold == {"sak.txt": {"PER": {"kari nordvik"}, "ORG": {"helse vest"}, "LOC": {"bergen"}}}


def test_scores_count_document_name_pairs():
    gold = {"a.txt": {"PER": {"kari nordvik"}, "ORG": {"ks", "helse vest"}}}
    found = {"a.txt": {"PER": {"kari nordvik"}, "ORG": {"ks", "rådet"}}, "b.txt": {"ORG": {"nav"}}}
    scores = score(gold, found)
    assert scores["PER"]["f1"] == 1.0
    assert (scores["ORG"]["precision"], scores["ORG"]["recall"]) == (0.5, 0.5)
    assert scores["ORG"]["missed"] == ["a.txt: helse vest"] and scores["ORG"]["false_positives"] == ["a.txt: rådet"]


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/norne is absent: the NorNE check is skipped")
def test_the_command_scores_norne_documents(tmp_path):
    data = tmp_path / "dev"
    data.mkdir()
    for path in sorted(DEV.iterdir())[:3]:
        shutil.copy(path, data / path.name)
    result = CliRunner().invoke(
        main,
        [
            "evaluate-entities",
            "--data",
            str(data),
            "--json",
            str(tmp_path / "s.json"),
            "--params",
            str(REPO / "params.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["scores"]
    assert set(scores) == {"PER", "ORG", "LOC"}
    # The pipeline finds most of the people NorNE names; the figure is far from chance.
    assert scores["PER"]["gold"] > 10 and scores["PER"]["f1"] > 0.6
    assert all(0 <= scores[g]["precision"] <= 1 and 0 <= scores[g]["recall"] <= 1 for g in scores)
