"""Acceptance: the report of ../shared/corpus opens offline in headless Chromium."""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from diskurs.cli import main
from diskurs.io import read_csv
from diskurs.layout import Layout
from diskurs.report.stage import run_report

REPO = Path(__file__).resolve().parents[1]
SHARED_SHEET = REPO / "tests" / "data" / "shared_corpus_metadata.csv"
CHROMIUM = Path("/usr/bin/chromium")
# Keep the browser's own background traffic down; what remains is told apart by its initiator.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-default-apps",
]


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium package to run the browser test")
    return CHROMIUM


def _browse(chromium: Path, page: Path, work: Path, *extra: str) -> tuple[str, list[dict]]:
    """The page's DOM after loading, and the network requests the page itself started."""
    net_log = work / "net.json"
    result = subprocess.run(
        [
            str(chromium),
            *FLAGS,
            f"--user-data-dir={work / 'profile'}",
            f"--log-net-log={net_log}",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    # Chromium's own update and sign-in checks carry no origin; anything the page asks for does.
    requests = [
        event["params"]
        for event in log["events"]
        if event["type"] == start_job
        and "url" in event.get("params", {})
        and event["params"].get("initiator") != "not an origin"
    ]
    return result.stdout, requests


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs)["src"])


@pytest.fixture(scope="module")
def shared_report(shared_corpus, model_path, tmp_path_factory) -> Layout:
    out = tmp_path_factory.mktemp("report-shared")
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["nlp"]["model"] = str(model_path)
    params_file = out / "params.yaml"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    # What the texts say of themselves (the year of the council's first meetings, where the page
    # gives no date; the kind of text and its publisher), in a sheet given on the command line.
    arguments = [
        "run",
        str(shared_corpus),
        "--out",
        str(out),
        "--params",
        str(params_file),
        "--metadata",
        str(SHARED_SHEET),
    ]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    layout = Layout(out)
    params["corpus"] = {"input": str(shared_corpus), "metadata": str(SHARED_SHEET)}
    run_report(layout, params)
    return layout


def test_network_detector_sees_a_page_request(chromium, tmp_path):
    """The check below would catch a page that fetches something (a closed local port here)."""
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><img src="http://127.0.0.1:9/x.png"><p>x</p>', encoding="utf-8")
    _, requests = _browse(chromium, page, tmp_path, "--dump-dom")
    assert [request["url"] for request in requests] == ["http://127.0.0.1:9/x.png"]


def test_shared_corpus_report_loads_offline_with_its_figures(shared_report, chromium, tmp_path):
    layout = shared_report
    dom, requests = _browse(chromium, layout.report, tmp_path, "--dump-dom")
    assert requests == [], f"the report made network requests: {[r['url'] for r in requests]}"
    assert "Key findings" in dom and "Methods and reproducibility" in dom
    parser = _Images()
    parser.feed(dom)
    assert len(parser.sources) >= 3
    for source in parser.sources:
        assert (layout.report.parent / source).is_file(), source
    # The questions the report must answer, checked against the tables it was made from.
    top_actor = next(iter(sorted(read_csv(layout.entities_dir / "entities.csv"), key=lambda r: -int(r["mentions"]))))
    findings = dom.split('id="findings"')[1].split('id="overview"')[0]
    assert top_actor["canonical"] in findings
    for quote in read_csv(layout.frames_dir / "quotes.csv"):
        assert quote["speaker"] in dom.split('id="voices"')[1].split('id="themes"')[0]
    documents = list(read_csv(layout.entities_dir / "documents.csv"))
    assert findings.count("% of sentences)") == len(documents) == 5
    for page in sorted(layout.report_pages.glob("*.html")):
        page_dom, page_requests = _browse(chromium, page, tmp_path / page.stem, "--dump-dom")
        assert page_requests == [] and 'class="entities"' in page_dom and "<mark" in page_dom
    # Every comparison is there with its figures, drawn from the sheet's dates and groups.
    comparisons = dom.split('id="comparisons"')[1].split('id="validation"')[0]
    for name in (
        "frames_over_time",
        "themes_over_time",
        "actors_over_time",
        "frames_by_source_type",
        "frames_by_outlet",
        "frames_by_actor_type",
    ):
        assert f'id="fig-{name}"' in comparisons and f"figures/{name}.png" in comparisons, name
    groups = {(row["comparison"], row["group"]) for row in read_csv(layout.compare_dir / "groups.csv")}
    assert {("period", "2021"), ("source_type", "news"), ("source_type", "press_release")} <= groups
    shot = tmp_path / "report.png"
    _browse(chromium, layout.report, tmp_path / "shot", f"--screenshot={shot}", "--window-size=1280,4000")
    assert shot.stat().st_size > 50_000
