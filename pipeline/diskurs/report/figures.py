"""The report's figures: matplotlib (Agg) PNGs with alt text, identical bytes for identical input."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from diskurs.io import atomic_path  # noqa: E402

DPI = 100
# One colour per entity label, so a label looks the same in every figure.
LABEL_COLOURS = {
    "PER": "#4e79a7",
    "ORG": "#f28e2b",
    "GPE_ORG": "#59a14f",
    "GPE_LOC": "#76b7b2",
    "LOC": "#edc948",
    "PROD": "#b07aa1",
    "EVT": "#ff9da7",
}
OTHER_COLOUR = "#9c9c9c"


@dataclass
class Chart:
    name: str  # file name under reports/figures/
    title: str
    alt: str
    figure: Figure


def save(chart: Chart, folder: Path) -> Path:
    """Write the chart as PNG; no software tag or date in the file, so the bytes are reproducible."""
    path = Path(folder) / chart.name
    with atomic_path(path) as tmp:
        chart.figure.savefig(tmp, format="png", dpi=DPI, metadata={"Software": None})
    return path


def shorten(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _empty(figure: Figure, message: str) -> None:
    ax = figure.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12)


def actors_by_type(entities: Sequence[dict], per_type: int) -> Chart:
    """The most-named actors of the four most frequent entity types, one panel per type."""
    by_label: dict[str, list[dict]] = defaultdict(list)
    for row in entities:
        by_label[row["label"]].append(row)
    labels = sorted(by_label, key=lambda label: (-sum(int(r["mentions"]) for r in by_label[label]), label))[:4]
    figure = Figure(figsize=(12, 8), layout="constrained")
    parts = []
    if not labels:
        _empty(figure, "No named actors found")
    axes = figure.subplots(2, 2).flatten() if labels else []
    for ax, label in zip(axes, labels):
        rows = sorted(by_label[label], key=lambda r: (-int(r["mentions"]), r["canonical"]))[:per_type]
        names = [shorten(r["canonical"]) for r in rows][::-1]
        counts = [int(r["mentions"]) for r in rows][::-1]
        ax.barh(names, counts, color=LABEL_COLOURS.get(label, OTHER_COLOUR), height=0.7)
        # Room for ``per_type`` bars in every panel, so a type with few actors gets no fat bars.
        ax.set_ylim(len(names) - per_type - 0.5, len(names) - 0.5)
        ax.set_title(f"{label}: most-named", fontsize=11)
        ax.set_xlabel("Mentions")
        ax.tick_params(axis="y", labelsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
        parts.append(f"{label}: " + ", ".join(f"{r['canonical']} ({r['mentions']})" for r in rows[:5]))
    for ax in list(axes)[len(labels) :]:
        ax.axis("off")
    alt = "Bar charts of the most-named actors per entity type, with mention counts. " + "; ".join(parts) + "."
    return Chart("actors_by_type.png", "Most-named actors by type", alt, figure)


def actor_network(cooccurrence: Sequence[dict], entities: Sequence[dict], max_nodes: int) -> Chart:
    """Actors named in the same sentence, linked; the ``max_nodes`` best-connected actors are drawn."""
    mentions = {row["canonical"]: int(row["mentions"]) for row in entities}
    graph = nx.Graph()
    for row in sorted(cooccurrence, key=lambda r: (r["actor_a"], r["actor_b"])):
        graph.add_node(row["actor_a"], label=row["label_a"])
        graph.add_node(row["actor_b"], label=row["label_b"])
        graph.add_edge(row["actor_a"], row["actor_b"], weight=int(row["sentences"]))
    strength = dict(graph.degree(weight="weight"))
    keep = sorted(graph.nodes, key=lambda node: (-strength[node], node))[:max_nodes]
    graph = nx.Graph(graph.subgraph(sorted(keep)))
    figure = Figure(figsize=(12, 9), layout="constrained")
    if not graph.number_of_nodes():
        _empty(figure, "No co-occurring actors found")
        return Chart("actor_network.png", "Co-occurrence network of actors", "No co-occurring actors found.", figure)
    ax = figure.add_subplot()
    ax.axis("off")
    # Kamada-Kawai has no random start: the same tables always give the same layout, and it keeps
    # unconnected groups closer than a spring layout does. Its optimiser sums in BLAS, whose
    # threads may add in another order on each run: one thread, and positions rounded far below a
    # pixel, make the figure the same bytes every time.
    with threadpool_limits(limits=1):
        positions = nx.kamada_kawai_layout(graph, weight=None)
    positions = {node: tuple(round(float(x), 4) for x in xy) for node, xy in positions.items()}
    nodes = sorted(graph.nodes)
    edges = sorted(graph.edges(data="weight"))
    nx.draw_networkx_edges(
        graph,
        positions,
        ax=ax,
        edgelist=[(a, b) for a, b, _ in edges],
        width=[0.6 + 0.8 * w for _, _, w in edges],
        edge_color="#b0b0b0",
    )
    nx.draw_networkx_nodes(
        graph,
        positions,
        ax=ax,
        nodelist=nodes,
        node_size=[120 + 60 * mentions.get(node, 1) for node in nodes],
        node_color=[LABEL_COLOURS.get(graph.nodes[node]["label"], OTHER_COLOUR) for node in nodes],
    )
    nx.draw_networkx_labels(graph, positions, ax=ax, labels={n: shorten(n, 30) for n in nodes}, font_size=8)
    used = sorted({graph.nodes[node]["label"] for node in nodes})
    for label in used:
        ax.scatter([], [], color=LABEL_COLOURS.get(label, OTHER_COLOUR), label=label)
    ax.legend(loc="lower left", title="Entity type", fontsize=8)
    ax.set_title("Actors named in the same sentence (node size: mentions; line width: shared sentences)")
    top = sorted(strength.items(), key=lambda item: (-item[1], item[0]))[:5]
    alt = (
        f"Network of {graph.number_of_nodes()} actors linked when named in the same sentence. "
        "Most connected: " + ", ".join(f"{name} ({weight} shared sentences)" for name, weight in top) + "."
    )
    return Chart("actor_network.png", "Co-occurrence network of actors", alt, figure)


def heatmap(
    name: str,
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: dict[tuple[str, str], float],
    xlabel: str,
    ylabel: str,
    number_format: str = "{:.2f}",
) -> Chart:
    """A rows × columns grid of values, each cell printed; missing cells count as zero."""
    values = [[cells.get((row, column), 0.0) for column in columns] for row in rows]
    height = min(max(2.5 + 0.4 * len(rows), 4), 14)
    figure = Figure(figsize=(11, height), layout="constrained")
    if not rows or not columns:
        _empty(figure, "Nothing to show")
        return Chart(name, title, f"{title}: nothing to show.", figure)
    ax = figure.add_subplot()
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(columns)), [shorten(c, 24) for c in columns], rotation=30, ha="right", fontsize=9)
    ax.set_yticks(range(len(rows)), [shorten(r, 40) for r in rows], fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    peak = max((max(line) for line in values), default=0) or 1
    for i, line in enumerate(values):
        for j, value in enumerate(line):
            if value:
                ax.text(
                    j,
                    i,
                    number_format.format(value),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if value > peak * 0.6 else "black",
                )
    figure.colorbar(image, ax=ax, shrink=0.8)
    strongest = []
    for i, row in enumerate(rows):
        j = max(range(len(columns)), key=lambda k: (values[i][k], -k))
        if values[i][j]:
            strongest.append(f"{row}: {columns[j]} ({number_format.format(values[i][j])})")
    alt = f"Heatmap, {title.lower()}. Strongest cell per row: " + "; ".join(strongest) + "."
    return Chart(name, title, alt, figure)


def _number(value) -> float | None:
    text = str(value if value is not None else "").strip()
    return float(text) if text else None


def over_time(
    name: str,
    title: str,
    rows: Sequence[dict],
    series: str,
    value: str,
    ylabel: str,
    periods: Sequence[str],
    shown: Sequence[str],
    interval: bool = True,
) -> Chart:
    """Each series (frame, theme, actor) across ``periods``: with an interval, one small panel per
    series with its 95 % band (overlapping bands hide each other); without, one line each in one
    panel. ``shown`` names the series in order."""
    cells = {(row[series], row["group"]): row for row in rows}
    panels = len(shown) if interval else 1
    columns = min(3, panels)
    lines = -(-panels // columns) if panels else 1
    figure = Figure(figsize=(11, 1.2 + 2.3 * lines if interval else 5.5), layout="constrained")
    if not periods or not shown:
        _empty(figure, "No dated documents to compare")
        return Chart(name, title, f"{title}: no dated documents.", figure)
    axes = figure.subplots(lines, columns, sharex=True, sharey=True, squeeze=False).flatten()
    x = list(range(len(periods)))
    colours = matplotlib.colormaps["tab10"].colors + matplotlib.colormaps["Dark2"].colors
    parts = []
    for number, key in enumerate(shown):
        ax = axes[number if interval else 0]
        points = [cells.get((key, period), {}) for period in periods]
        y = [_number(point.get(value)) or 0.0 for point in points]
        colour = colours[number % len(colours)]
        ax.plot(x, y, marker="o", label=shorten(str(key), 40), color=colour, linewidth=1.6)
        if interval:
            low = [_number(point.get("ci_low")) or 0.0 for point in points]
            high = [_number(point.get("ci_high")) or 0.0 for point in points]
            ax.fill_between(x, low, high, color=colour, alpha=0.2, linewidth=0)
            ax.set_title(shorten(str(key), 40), fontsize=9)
        parts.append(f"{key}: " + ", ".join(f"{period} {v:.2f}" for period, v in zip(periods, y)))
    for ax in axes[panels:]:
        ax.axis("off")
    for ax in axes[:panels]:
        ax.set_xticks(x, list(periods), rotation=30 if len(periods) > 6 else 0, fontsize=8)
        ax.set_ylim(bottom=0)
        ax.tick_params(axis="y", labelsize=8)
    if not interval:
        axes[0].legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
        axes[0].set_xlabel("Period")
    figure.supylabel(ylabel, fontsize=10)
    figure.suptitle(title)
    alt = f"{'Small multiples' if interval else 'Line chart'}, {title.lower()}. " + "; ".join(parts) + "."
    return Chart(name, title, alt, figure)


def grouped_bars(name: str, title: str, rows: Sequence[dict], groups: Sequence[str], frames: Sequence[str]) -> Chart:
    """Frame shares side by side for each group, with their 95 % Wilson intervals as error bars;
    each group's label says how many documents and sentences its bars rest on."""
    figure = Figure(figsize=(12, 5.5), layout="constrained")
    cells = {(row["group"], row["frame"]): row for row in rows}
    if not groups or not frames:
        _empty(figure, "No groups to compare")
        return Chart(name, title, f"{title}: no groups.", figure)
    ax = figure.add_subplot()
    width = 0.8 / len(groups)
    colours = matplotlib.colormaps["tab10"].colors + matplotlib.colormaps["Dark2"].colors
    parts = []
    for number, group in enumerate(groups):
        points = [cells.get((group, frame), {}) for frame in frames]
        shares = [_number(point.get("share")) or 0.0 for point in points]
        low = [max(0.0, share - (_number(point.get("ci_low")) or 0.0)) for share, point in zip(shares, points)]
        high = [max(0.0, (_number(point.get("ci_high")) or 0.0) - share) for share, point in zip(shares, points)]
        first = points[0] if points else {}
        label = f"{shorten(group, 30)} ({first.get('documents', 0)} docs, {first.get('of_sentences', 0)} sent.)"
        positions = [i - 0.4 + width * (number + 0.5) for i in range(len(frames))]
        ax.bar(
            positions,
            shares,
            width,
            yerr=[low, high],
            capsize=2,
            label=label,
            color=colours[number % len(colours)],
            error_kw={"elinewidth": 0.8, "ecolor": "#444444"},
        )
        best = max(range(len(frames)), key=lambda i: (shares[i], -i))
        parts.append(f"{group}: strongest {frames[best]} ({shares[best]:.2f})")
    ax.set_xticks(range(len(frames)), [shorten(frame, 24) for frame in frames], rotation=30, ha="right", fontsize=9)
    ax.set_ylabel("Share of sentences")
    ax.set_ylim(bottom=0)
    ax.set_title(title)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    alt = f"Grouped bar chart, {title.lower()}, with 95 % intervals. " + "; ".join(parts) + "."
    return Chart(name, title, alt, figure)
