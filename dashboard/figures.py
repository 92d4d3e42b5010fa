"""Plotly figures for the dashboard, built from the small frames of ``queries``; no Streamlit here.

Every text that comes from articles (actor names, places, sentences) is HTML-escaped before it reaches a
figure, since plotly reads tags such as ``<a href>`` in labels and hover text.
"""

from __future__ import annotations

import functools
import html
import json
import math
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative, sample_colorscale
from plotly.subplots import make_subplots

from dashboard.filters import ordered_types

WORLD_LAND = Path(__file__).resolve().parent / "world_land.json"
# Natural Earth 1:110m countries, keyed by ISO-3 (see its "source"); drawn as filled shapes on the map's own axes, not
# with go.Choropleth, whose geo subplot fetches a base map from cdn.plot.ly even when given a GeoJSON.
WORLD_COUNTRIES = Path(__file__).resolve().parent / "world_countries.json"
COUNTRY_SCALE = "Blues"
# Longest sentence shown in a hover box; the evidence panel shows it whole.
HOVER_CHARS = 160
ROW_HEIGHT = 26
MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
ROLE_COLOURS = {"source": "#1f77b4", "target": "#ff7f0e", "participant": "#9467bd"}
# Goldstein scores run from -10 (most conflictual) to +10 (most cooperative).
GOLDSTEIN_SCALE = "RdBu"
# A monthly marker sits in the middle of its month, and a monthly bar spans 26 days of it (in ms, the width of a bar on a
# time axis), even alone in its row, where plotly would draw a hairline.
MONTHLY = {"xperiod": "M1", "xperiodalignment": "middle"}
MONTH_BARS = {**MONTHLY, "width": 26 * 24 * 3600 * 1000}
# Edge colour bins: the network draws one trace per bin instead of one per edge.
GOLDSTEIN_BINS = (-10.0, -5.0, -1.5, 1.5, 5.0, 10.0)


def safe(text: object) -> str:
    """Return article-supplied text that plotly shows as written, not as markup."""
    return html.escape(str(text or ""), quote=False)


def shortened(text: object, limit: int = HOVER_CHARS) -> str:
    """Return text cut to ``limit`` characters with an ellipsis, escaped."""
    text = " ".join(str(text or "").split())
    return safe(text if len(text) <= limit else text[: limit - 1] + "…")


@functools.lru_cache(maxsize=1)
def type_colours() -> dict[str, str]:
    """Return a fixed colour per event type, so that a type has one colour in every figure."""
    palette = qualitative.Alphabet
    return {t: palette[i % len(palette)] for i, t in enumerate(ordered_types())}


def colour_of(event_type: str) -> str:
    """Return an event type's colour (grey for a type the dictionary lacks)."""
    return type_colours().get(event_type, "#888888")


def empty_figure(message: str) -> go.Figure:
    """Return a blank figure that says why it is blank."""
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    figure.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, height=200, margin=MARGIN)
    return figure


def count_bars(counts: pd.DataFrame) -> list[go.Bar]:
    """Return stacked bars of events per period and type for the timeline's upper row (one trace per type, in the legend)."""
    return [
        go.Bar(
            x=part["period"].to_numpy(),
            y=part["events"].to_numpy(),
            name=str(event_type),
            legendgroup=str(event_type),
            marker_color=colour_of(str(event_type)),
            hovertemplate="%{x|%Y-%m-%d}: %{y:,} " + safe(event_type) + "<extra></extra>",
            xaxis="x",
            yaxis="y",
        )
        for event_type, part in counts.groupby("event_type", sort=False)
    ]


def point_hover(points: pd.DataFrame) -> list[list[str]]:
    """Return the hover fields of timeline points: date, actors, sentence, each escaped."""
    arrow = points["source_actor"].map(safe) + np.where(
        points["target_actor"].astype(str) != "", " → " + points["target_actor"].map(safe), ""
    )
    return [
        [f"{safe(d)} ({safe(p)})", a, f"{safe(t)}, {safe(s)}", shortened(x)]
        for d, p, a, t, s, x in zip(
            points["date"], points["date_precision"], arrow, points["event_type"], points["status"], points["sentence"], strict=True
        )
    ]


def safe_names(names: pd.Series) -> np.ndarray:
    """Return actor names escaped, as an array (which plotly takes without converting it)."""
    return np.array([safe(name) for name in names], dtype=object)


def point_markers(points: pd.DataFrame, shown_types: set[str]) -> list[go.Scatter]:
    """Return one marker per event and actor row for the timeline's lower row, coloured by type, with the evidence
    sentence on hover."""
    return [
        go.Scatter(
            x=part["day"].to_numpy(),
            y=safe_names(part["actor"]),
            mode="markers",
            name=str(event_type),
            legendgroup=str(event_type),
            showlegend=str(event_type) not in shown_types,
            marker={"color": colour_of(str(event_type)), "size": 9, "line": {"width": 0.5, "color": "white"}},
            customdata=point_hover(part),
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>",
            xaxis="x2",
            yaxis="y2",
        )
        for event_type, part in points.groupby("event_type", sort=False)
    ]


def cell_markers(cells: pd.DataFrame, period: str, shown_types: set[str]) -> list[go.Scatter]:
    """Return one marker per actor and period for the timeline's lower row, sized by its events and coloured by its most
    frequent type."""
    biggest = max(int(cells["events"].max()), 1) if not cells.empty else 1
    return [
        go.Scatter(
            x=part["period"].to_numpy(),
            y=safe_names(part["actor"]),
            mode="markers",
            name=str(event_type),
            legendgroup=str(event_type),
            showlegend=str(event_type) not in shown_types,
            marker={"color": colour_of(str(event_type)), "size": (6 + 22 * np.sqrt(part["events"] / biggest)).to_numpy(), "opacity": 0.8},
            customdata=np.stack([part["events"], part["top_events"]], axis=-1),
            hovertemplate=f"%{{y}}, {period} of %{{x|%Y-%m-%d}}: %{{customdata[0]:,}} events<br>"
            f"most often {safe(event_type)} (%{{customdata[1]:,}})<extra></extra>",
            xaxis="x2",
            yaxis="y2",
        )
        for event_type, part in cells.groupby("top_type", sort=False)
    ]


@functools.lru_cache(maxsize=1)
def two_rows() -> dict[str, dict[str, object]]:
    """Return the axes of two rows sharing the time axis (counts above, actors below) as ``make_subplots`` lays them out
    (made once: a figure made in one call from its traces and this layout takes about two thirds of the time of one made
    by adding each trace to a subplot figure, and draws the same)."""
    layout = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.28, 0.72], vertical_spacing=0.04).layout
    return {name: layout[name].to_plotly_json() for name in ("xaxis", "xaxis2", "yaxis", "yaxis2")}


def timeline_layout(rows: list[str], period: str, span: tuple[date | None, date | None]) -> dict[str, object]:
    """Return the timeline's layout: the two rows' axes (the actors' row in the given order, the time axis opening on
    ``span`` when it is known), stacked bars, a height for the rows."""
    axes = two_rows()
    window = {}
    if span[0] and span[1]:
        pad = timedelta(days=max(3, (span[1] - span[0]).days // 20))
        window = {"range": [span[0] - pad, span[1] + pad]}
    return {
        "xaxis": {**axes["xaxis"], **window},
        "xaxis2": {**axes["xaxis2"], **window},
        "yaxis": {**axes["yaxis"], "title": {"text": f"events per {period}"}},
        "yaxis2": {**axes["yaxis2"], "categoryorder": "array", "categoryarray": rows[::-1]},
        "barmode": "stack",
        "height": 260 + ROW_HEIGHT * max(len(rows), 4),
        "margin": MARGIN,
        "legend": {"title": {"text": "type"}},
        "dragmode": "zoom",
        "hovermode": "closest",
    }


def timeline_figure(
    counts: pd.DataFrame,
    actors: list[str],
    period: str,
    points: pd.DataFrame | None = None,
    cells: pd.DataFrame | None = None,
    span: tuple[date | None, date | None] = (None, None),
) -> go.Figure:
    """Return the timeline: events per period above, one row per actor below (each event a point, or with too many
    events each actor's period a point sized by its count), coloured by type, the two sharing the time axis, which
    opens on ``span`` (the bulk of the events; double-click shows all)."""
    if counts.empty and (points is None or points.empty) and (cells is None or cells.empty):
        return empty_figure("No dated events under these filters")
    shown = set(counts["event_type"].astype(str))
    markers = point_markers(points, shown) if points is not None else cell_markers(cells, period, shown) if cells is not None else []
    return go.Figure(data=[*count_bars(counts), *markers], layout=timeline_layout([safe(a) for a in actors], period, span))


def actor_bars(top: pd.DataFrame, role: str) -> go.Figure:
    """Return a horizontal bar chart of the most active actors in one role, the most active on top."""
    if top.empty:
        return empty_figure(f"No actor as {role}")
    figure = go.Figure(
        go.Bar(
            x=top["events"],
            y=top["actor"].map(safe),
            orientation="h",
            marker_color=ROLE_COLOURS.get(role, "#888888"),
            hovertemplate="%{y}: %{x:,} events<extra></extra>",
        )
    )
    figure.update_layout(
        title=f"Most active as {role}",
        yaxis={"autorange": "reversed"},
        xaxis={"title": "events"},
        height=120 + ROW_HEIGHT * len(top),
        margin=MARGIN,
    )
    return figure


def heatmap_figure(months: pd.DataFrame, actors: list[str], span: tuple[date | None, date | None] = (None, None)) -> go.Figure:
    """Return an actor-by-month heat map of event counts, actors in the given order, each month a cell as wide as the
    month, the time axis opening on ``span`` (the filter's dates, or the bulk of the events)."""
    if months.empty:
        return empty_figure("No dated events for these actors")
    grid = months.pivot_table(index="actor", columns="month", values="events", aggfunc="sum", fill_value=0)
    grid = grid.reindex([a for a in actors if a in grid.index])
    figure = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=[safe(a) for a in grid.index],
            colorscale="Blues",
            hovertemplate="%{y}, %{x|%Y-%m}: %{z:,} events<extra></extra>",
            colorbar={"title": {"text": "events"}},
            xperiod="M1",
            xperiodalignment="middle",
        )
    )
    window = {"range": [span[0], span[1] + timedelta(days=1)]} if span[0] and span[1] else {}
    figure.update_layout(
        title="Events per actor and month",
        xaxis={"type": "date", **window},
        yaxis={"autorange": "reversed"},
        height=140 + ROW_HEIGHT * len(grid),
        margin=MARGIN,
    )
    return figure


def spring_layout(nodes: list[str], edges: pd.DataFrame, iterations: int = 120, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Return a position per node: a small force-directed layout (Fruchterman-Reingold) weighted by edge counts."""
    n = len(nodes)
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    index = {name: i for i, name in enumerate(nodes)}
    angles = np.linspace(0, 2 * math.pi, n, endpoint=False)
    pos = np.stack([np.cos(angles), np.sin(angles)], axis=1) + rng.normal(0, 0.05, (n, 2))
    weights = np.zeros((n, n))
    for s, t, w in zip(edges["source"], edges["target"], edges["events"], strict=True):
        weights[index[s], index[t]] = weights[index[t], index[s]] = weights[index[s], index[t]] + math.log1p(float(w))
    k = 2.0 / math.sqrt(n)
    for step in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)
        force = (k * k / distance**2 - weights * distance / k)[:, :, None] * delta
        move = force.sum(axis=1)
        length = np.maximum(np.linalg.norm(move, axis=1, keepdims=True), 1e-9)
        pos += move / length * np.minimum(length, 0.1 * (1 - step / iterations))
    low, high = np.percentile(pos, 2, axis=0), np.percentile(pos, 98, axis=0)
    pos = np.clip((pos - low) / np.maximum(high - low, 1e-9), -0.05, 1.05)
    return {name: (float(pos[i, 0]), float(pos[i, 1])) for name, i in index.items()}


def goldstein_bin(score: float) -> int:
    """Return the index of the colour bin a mean Goldstein score falls in."""
    return min(max(int(np.searchsorted(GOLDSTEIN_BINS, score, side="right")) - 1, 0), len(GOLDSTEIN_BINS) - 2)


def bin_colour(index: int) -> str:
    """Return the colour of a Goldstein bin: red for conflict, grey for neutral, blue for cooperation."""
    middle = (GOLDSTEIN_BINS[index] + GOLDSTEIN_BINS[index + 1]) / 2
    return sample_colorscale(GOLDSTEIN_SCALE, [(middle + 10) / 20])[0]


def edge_traces(edges: pd.DataFrame, pos: dict[str, tuple[float, float]]) -> list[go.Scatter]:
    """Return the network's edges as a few line traces: one per Goldstein bin and width step."""
    biggest = max(float(edges["events"].max()), 1.0)
    traces = []
    steps = edges.assign(bin=edges["mean_goldstein"].map(goldstein_bin), width=1 + np.round(4 * np.sqrt(edges["events"] / biggest)))
    shown: set[int] = set()
    for (bin_index, width), part in steps.groupby(["bin", "width"]):
        xs, ys = [], []
        for s, t in zip(part["source"], part["target"], strict=True):
            xs += [pos[s][0], pos[t][0], None]
            ys += [pos[s][1], pos[t][1], None]
        low, high = GOLDSTEIN_BINS[int(bin_index)], GOLDSTEIN_BINS[int(bin_index) + 1]
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"width": float(width), "color": bin_colour(int(bin_index))},
                hoverinfo="skip",
                name=f"{low:+g} to {high:+g}",
                legendgroup=str(bin_index),
                showlegend=int(bin_index) not in shown,
                opacity=0.7,
            )
        )
        shown.add(int(bin_index))
    return traces


def edge_midpoints(edges: pd.DataFrame, pos: dict[str, tuple[float, float]]) -> go.Scatter:
    """Return invisible markers at the edges' middles that carry each edge's hover text."""
    text = [
        f"{safe(s)} → {safe(t)}: {n:,} events, mean Goldstein {g:+.1f}"
        for s, t, n, g in zip(edges["source"], edges["target"], edges["events"], edges["mean_goldstein"], strict=True)
    ]
    return go.Scatter(
        x=[(pos[s][0] + pos[t][0]) / 2 for s, t in zip(edges["source"], edges["target"], strict=True)],
        y=[(pos[s][1] + pos[t][1]) / 2 for s, t in zip(edges["source"], edges["target"], strict=True)],
        mode="markers",
        marker={"size": 8, "opacity": 0},
        hovertext=text,
        hoverinfo="text",
        showlegend=False,
    )


def network_figure(edges: pd.DataFrame) -> go.Figure:
    """Return who acts on whom: actors as nodes sized by their events, edges as wide as their counts and coloured by
    mean Goldstein score (red conflict, blue cooperation)."""
    if edges.empty:
        return empty_figure("No actor acts on another under these filters")
    nodes = list(dict.fromkeys([*edges["source"], *edges["target"]]))
    pos = spring_layout(nodes, edges)
    degree = pd.concat([edges.groupby("source")["events"].sum(), edges.groupby("target")["events"].sum()]).groupby(level=0).sum()
    sizes = 10 + 30 * np.sqrt(degree.reindex(nodes).to_numpy() / max(float(degree.max()), 1.0))
    figure = go.Figure([*edge_traces(edges, pos), edge_midpoints(edges, pos)])
    figure.add_trace(
        go.Scatter(
            x=[pos[n][0] for n in nodes],
            y=[pos[n][1] for n in nodes],
            mode="markers+text",
            text=[safe(n) for n in nodes],
            textposition="top center",
            marker={"size": sizes, "color": "#4c78a8", "line": {"width": 1, "color": "white"}},
            customdata=degree.reindex(nodes).to_numpy(),
            hovertemplate="%{text}: %{customdata:,} events in these edges<extra></extra>",
            showlegend=False,
        )
    )
    figure.update_layout(
        title="Who acts on whom",
        height=640,
        margin=MARGIN,
        xaxis={"visible": False},
        yaxis={"visible": False},
        legend={"title": {"text": "mean Goldstein"}},
    )
    return figure


def profile_timeline(points: pd.DataFrame | None, roles: pd.DataFrame, period: str) -> go.Figure:
    """Return an actor's timeline: each event a point on its role's row when few, else events per period by role."""
    if points is not None and not points.empty:
        return timeline_figure(
            pd.DataFrame(columns=["period", "event_type", "events"]), ["source", "target", "participant"], period, points
        )
    return roles_figure(roles, period, "Events per " + period + " by role")


def roles_figure(roles: pd.DataFrame, period: str, title: str = "") -> go.Figure:
    """Return an actor's events per period, stacked by role (source, target, participant)."""
    if roles.empty:
        return empty_figure("No dated events")
    figure = go.Figure(
        [
            go.Bar(x=part["period"], y=part["events"], name=role, marker_color=ROLE_COLOURS.get(str(role), "#888888"))
            for role, part in roles.groupby("role", sort=False)
        ]
    )
    figure.update_layout(barmode="stack", title=title or f"Roles per {period}", height=320, margin=MARGIN, yaxis={"title": "events"})
    return figure


def counterparts_figure(counterparts: pd.DataFrame) -> go.Figure:
    """Return an actor's counterparts by number of shared events, coloured by mean Goldstein score."""
    if counterparts.empty:
        return empty_figure("No counterparts")
    figure = go.Figure(
        go.Bar(
            x=counterparts["events"],
            y=counterparts["counterpart"].map(safe),
            orientation="h",
            marker={
                "color": counterparts["mean_goldstein"],
                "colorscale": GOLDSTEIN_SCALE,
                "cmin": -10,
                "cmax": 10,
                "showscale": True,
                "colorbar": {"title": {"text": "Goldstein"}},
            },
            customdata=counterparts["mean_goldstein"],
            hovertemplate="%{y}: %{x:,} events, mean Goldstein %{customdata:+.1f}<extra></extra>",
        )
    )
    figure.update_layout(title="Counterparts", yaxis={"autorange": "reversed"}, height=120 + ROW_HEIGHT * len(counterparts), margin=MARGIN)
    return figure


def types_figure(types: pd.DataFrame) -> go.Figure:
    """Return an actor's events per type, stacked by role."""
    if types.empty:
        return empty_figure("No events")
    order = types.groupby("event_type")["events"].sum().sort_values(ascending=False).index.tolist()
    figure = go.Figure(
        [
            go.Bar(y=part["event_type"], x=part["events"], name=role, orientation="h", marker_color=ROLE_COLOURS.get(str(role), "#888888"))
            for role, part in types.groupby("role", sort=False)
        ]
    )
    figure.update_layout(
        barmode="stack",
        title="Event types by role",
        yaxis={"categoryorder": "array", "categoryarray": order[::-1]},
        height=120 + ROW_HEIGHT * len(order),
        margin=MARGIN,
    )
    return figure


@functools.lru_cache(maxsize=1)
def land_outline() -> tuple[list[float | None], list[float | None]]:
    """Return the world's land as one line of longitudes and latitudes, rings separated by gaps (Natural Earth 1:110m)."""
    rings = json.loads(WORLD_LAND.read_text(encoding="utf-8"))["rings"]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in rings:
        for (x0, y0), (x1, _) in zip(ring, [*ring[1:], ring[-1]], strict=True):
            xs.append(x0)
            ys.append(y0)
            if abs(x1 - x0) > 180:  # the ring crosses the antimeridian: break the line instead of crossing the map
                xs.append(None)
                ys.append(None)
        xs.append(None)
        ys.append(None)
    return xs, ys


@functools.lru_cache(maxsize=1)
def country_shapes() -> dict[str, tuple[str, tuple[tuple[tuple[float, float], ...], ...]]]:
    """Return each country's name and outer rings of [longitude, latitude], by ISO-3 code (holes are left out: a
    country inside another, such as Lesotho, is drawn over it)."""
    features = json.loads(WORLD_COUNTRIES.read_text(encoding="utf-8"))["features"]
    shapes = {}
    for feature in features:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = tuple(tuple((x, y) for x, y in polygon[0]) for polygon in polygons)
        shapes[feature["properties"]["iso_a3"]] = (str(feature["properties"]["name"]), rings)
    return shapes


def ring_line(rings: tuple[tuple[tuple[float, float], ...], ...]) -> tuple[list[float | None], list[float | None]]:
    """Return rings as one line of longitudes and latitudes, separated by gaps."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in rings:
        xs.extend(x for x, _ in ring)
        ys.extend(y for _, y in ring)
        xs.append(None)
        ys.append(None)
    return xs, ys


def country_traces(countries: pd.DataFrame) -> list[go.Scatter]:
    """Return a choropleth of events per country (columns country, events; ISO-3 codes) as one filled shape per
    country with events, its colour by the square root of its count, and a colour bar; codes without a shape are
    skipped."""
    shapes = country_shapes()
    known = countries[countries["country"].isin(list(shapes)) & (countries["events"] > 0)]
    if known.empty:
        return []
    biggest = int(known["events"].max())
    shares = np.sqrt(known["events"].to_numpy() / biggest)
    colours = sample_colorscale(COUNTRY_SCALE, list(0.15 + 0.75 * shares))
    traces = []
    for code, events, colour in zip(known["country"], known["events"], colours, strict=True):
        name, rings = shapes[code]
        xs, ys = ring_line(rings)
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=colour,
                line={"width": 0.5, "color": "white"},
                name=f"{safe(name)} ({safe(code)}): {int(events):,} events",
                hoveron="fills",
                hoverinfo="name",
                legendgroup="countries",
                showlegend=False,
                meta="country",
            )
        )
    ticks = sorted({1, biggest, *(v for v in (10, 100, 1000, 10000, 100000) if v < biggest)})
    lowest = math.sqrt(1 / biggest) if biggest > 1 else 0.0
    colour_low, colour_high = sample_colorscale(COUNTRY_SCALE, [0.15 + 0.75 * lowest, 0.9])
    traces.append(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={
                "color": [1.0],
                "cmin": lowest,
                "cmax": 1.0,
                "colorscale": [[0.0, colour_low], [1.0, colour_high]],
                "showscale": True,
                "colorbar": {
                    "title": {"text": "events<br>per country"},
                    "tickvals": [math.sqrt(v / biggest) for v in ticks],
                    "ticktext": [f"{v:,}" for v in ticks],
                    "x": -0.02,
                    "xanchor": "right",
                    "len": 0.6,
                    "thickness": 12,
                },
            },
            hoverinfo="skip",
            showlegend=False,
            meta="country scale",
        )
    )
    return traces


def map_figure(places: pd.DataFrame, countries: pd.DataFrame | None = None) -> go.Figure:
    """Return located events on a world map (drawn from a bundled outline, so it needs no map server), one circle per
    place sized by its events and coloured by its most frequent type, over a choropleth of events per country when
    ``countries`` is given (see ``country_traces``)."""
    xs, ys = land_outline()
    figure = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            fill="toself",
            line={"width": 0.5, "color": "rgba(128,128,128,0.6)"},
            fillcolor="rgba(128,128,128,0.18)",
            hoverinfo="skip",
            showlegend=False,
        )
    )
    if countries is not None:
        figure.add_traces(country_traces(countries))
    biggest = max(int(places["events"].max()), 1) if not places.empty else 1
    for event_type, part in places.groupby("top_type", sort=False):
        text = [
            f"{safe(p)}{' (' + safe(c) + ')' if c else ''}: {n:,} events"
            for p, c, n in zip(part["location"], part["location_country"], part["events"], strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                x=part["longitude"],
                y=part["latitude"],
                mode="markers",
                name=str(event_type),
                marker={
                    "size": 8 + 32 * np.sqrt(part["events"] / biggest),
                    "color": colour_of(str(event_type)),
                    "opacity": 0.75,
                    "line": {"width": 1, "color": "white"},
                },
                hovertext=text,
                hoverinfo="text",
            )
        )
    figure.update_layout(
        height=560,
        margin=MARGIN,
        legend={"title": {"text": "most frequent type"}},
        xaxis={"range": [-180, 180], "visible": False},
        yaxis={"range": [-58, 84], "visible": False, "scaleanchor": "x", "scaleratio": 1},
    )
    return figure


def dyad_rows(first: str, second: str) -> dict[str, str]:
    """Return the dyad figure's count rows by direction, each with its title: who acts on whom, then acts among equals."""
    return {
        "first": f"{safe(first)} → {safe(second)}",
        "second": f"{safe(second)} → {safe(first)}",
        "mutual": "Between them (acts among equals)",
    }


def monthly_goldstein(months: pd.DataFrame) -> pd.DataFrame:
    """Return the mean Goldstein score per month and direction, and over every direction (``all``), with the events it
    averages (columns month, direction, mean, scored)."""
    dated = months.dropna(subset=["month"])
    both = dated.assign(direction="all")
    sums = pd.concat([dated, both]).groupby(["month", "direction"], as_index=False)[["scored", "goldstein_sum"]].sum()
    sums = sums[sums["scored"] > 0]
    return sums.assign(mean=sums["goldstein_sum"] / sums["scored"]).drop(columns="goldstein_sum")


def dyad_count_bars(dated: pd.DataFrame, rows: dict[str, str]) -> list[tuple[go.Bar, int]]:
    """Return the stacked bars of events per month and type, one row per direction (each bar with its row number); a type
    is in the legend once."""
    bars, shown = [], set()
    for row, direction in enumerate(rows, start=1):
        for event_type, part in dated[dated["direction"] == direction].groupby("event_type", sort=False):
            name = str(event_type)
            bar = go.Bar(
                x=part["month"].to_numpy(),
                y=part["events"].to_numpy(),
                name=name,
                legendgroup=name,
                showlegend=name not in shown,
                marker_color=colour_of(name),
                hovertemplate="%{x|%B %Y}: %{y:,} " + safe(name) + "<extra>" + rows[direction] + "</extra>",
                **MONTH_BARS,
            )
            shown.add(name)
            bars.append((bar, row))
    return bars


def goldstein_traces(means: pd.DataFrame, rows: dict[str, str]) -> list[go.Bar | go.Scatter]:
    """Return the mean Goldstein score per month: bars over both directions (blue above zero, cooperation; red below,
    conflict), and a marker per direction (a circle for the first acting on the second, a diamond the other way)."""
    both = means[means["direction"] == "all"]
    traces: list[go.Bar | go.Scatter] = [
        go.Bar(
            x=both["month"].to_numpy(),
            y=both["mean"].to_numpy(),
            name="mean Goldstein",
            showlegend=False,
            marker_color=np.where(both["mean"].to_numpy() >= 0, "#2166ac", "#b2182b"),
            customdata=both["scored"].to_numpy(),
            hovertemplate="%{x|%B %Y}: mean %{y:+.1f} over %{customdata:,} events<extra>both ways</extra>",
            **MONTH_BARS,
        )
    ]
    for direction, symbol in (("first", "circle"), ("second", "diamond")):
        part = means[means["direction"] == direction]
        traces.append(
            go.Scatter(
                x=part["month"].to_numpy(),
                y=part["mean"].to_numpy(),
                mode="markers",
                name=f"mean {rows[direction]}",
                marker={"symbol": symbol, "size": 9, "color": "#444444", "line": {"width": 1, "color": "white"}},
                **MONTHLY,
                customdata=part["scored"].to_numpy(),
                hovertemplate="%{x|%B %Y}: mean %{y:+.1f} over %{customdata:,} events<extra>" + rows[direction] + "</extra>",
            )
        )
    return traces


def dyad_figure(months: pd.DataFrame, first: str, second: str) -> go.Figure:
    """Return two actors' interactions per month: events by type in each direction and among equals (one row each), and
    below, the mean Goldstein score per month (cooperation above zero, conflict below). Months are those of
    ``queries.dyad_months``; events dated only to a year are not drawn."""
    dated = months.dropna(subset=["month"])
    if dated.empty:
        return empty_figure(f"No interactions of {safe(first)} and {safe(second)} dated to a month under these filters")
    rows = dyad_rows(first, second)
    figure = make_subplots(
        rows=4,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        row_heights=[0.22, 0.22, 0.16, 0.40],
        subplot_titles=[*rows.values(), "Mean Goldstein score per month (cooperation above zero, conflict below)"],
    )
    for bar, row in dyad_count_bars(dated, rows):
        figure.add_trace(bar, row=row, col=1)
    for trace in goldstein_traces(monthly_goldstein(dated), rows):
        figure.add_trace(trace, row=4, col=1)
    figure.add_hline(y=0, line_width=1, line_color="#888888", row=4, col=1)
    figure.update_yaxes(title_text="events", row=2, col=1)
    figure.update_yaxes(range=[-10.5, 10.5], title_text="Goldstein", zeroline=True, row=4, col=1)
    figure.update_layout(barmode="stack", height=760, margin={**MARGIN, "t": 60}, legend={"title": {"text": "type"}})
    return figure


# Colours of the tone: blue for cooperation (a Goldstein score above zero), red for conflict (below).
COOPERATION, CONFLICT = "#2166ac", "#b2182b"
# Each period on a time axis: the period plotly groups bars by (ms or months) and the first day of one (weeks start on a
# Monday, as DuckDB's date_trunc); and a bar's width in days, so that a lone bar is not a hairline.
PERIOD_AXIS: dict[str, dict[str, object]] = {
    "day": {"xperiod": 24 * 3600 * 1000},
    "week": {"xperiod": 7 * 24 * 3600 * 1000, "xperiod0": "2000-01-03"},
    "month": {"xperiod": "M1"},
    "year": {"xperiod": "M12"},
}
PERIOD_BAR_DAYS = {"day": 0.8, "week": 6.0, "month": 26.0, "year": 330.0}


def period_bars(period: str) -> dict[str, object]:
    """Return the arguments that centre a bar in its period and give it the period's width."""
    days = PERIOD_BAR_DAYS.get(period, PERIOD_BAR_DAYS["month"])
    return {**PERIOD_AXIS.get(period, PERIOD_AXIS["month"]), "xperiodalignment": "middle", "width": days * 24 * 3600 * 1000}


def tone_figure(tone: pd.DataFrame, period: str, title: str = "") -> go.Figure:
    """Return the tone per period of ``queries.tone_periods`` (or ``dyad_tone``): above, the mean Goldstein score (blue
    bars above zero, cooperation; red below, conflict); below, the cooperative events up and the conflictual down."""
    dated = tone.dropna(subset=["period"])
    if dated.empty:
        return empty_figure(f"No events dated to a {period} under these filters")
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=[f"Mean Goldstein score per {period}", f"Cooperative (up) and conflictual (down) events per {period}"],
    )
    bars = period_bars(period)
    scored = dated[dated["scored"] > 0]
    means = scored["mean_goldstein"].to_numpy(dtype=float)
    figure.add_trace(
        go.Bar(
            x=scored["period"].to_numpy(),
            y=means,
            name="mean Goldstein",
            showlegend=False,
            marker_color=np.where(means >= 0, COOPERATION, CONFLICT),
            customdata=scored["scored"].to_numpy(),
            hovertemplate="%{x|%d %b %Y}: mean %{y:+.1f} over %{customdata:,} events<extra></extra>",
            **bars,
        ),
        row=1,
        col=1,
    )
    for column, sign, colour in (("cooperative", 1, COOPERATION), ("conflictual", -1, CONFLICT)):
        figure.add_trace(
            go.Bar(
                x=dated["period"].to_numpy(),
                y=sign * dated[column].to_numpy(),
                name=column,
                marker_color=colour,
                customdata=dated[column].to_numpy(),
                hovertemplate="%{x|%d %b %Y}: %{customdata:,} " + column + "<extra></extra>",
                **bars,
            ),
            row=2,
            col=1,
        )
    figure.add_hline(y=0, line_width=1, line_color="#888888", row=1, col=1)
    figure.update_yaxes(range=[-10.5, 10.5], title_text="Goldstein", row=1, col=1)
    figure.update_yaxes(title_text="events", row=2, col=1)
    figure.update_layout(
        title={"text": safe(title)} if title else None,
        barmode="relative",
        height=560,
        margin={**MARGIN, "t": 70 if title else 50},
        legend={"orientation": "h", "y": -0.08},
    )
    return figure


def publishers_figure(counts: pd.DataFrame, publishers: list[str]) -> go.Figure:
    """Return a heat map of the events per publisher (rows, in the order given) and type (columns, family by family) of
    ``queries.publisher_types``; the count is written in each cell that has one."""
    shown = counts[counts["publisher"].isin(publishers)]
    if shown.empty:
        return empty_figure("No publisher named for these events")
    present = set(shown["event_type"])
    types = [t for t in ordered_types() if t in present] + sorted(present - set(ordered_types()))
    grid = shown.pivot_table(index="publisher", columns="event_type", values="events", aggfunc="sum", fill_value=0)
    grid = grid.reindex(index=[p for p in publishers if p in grid.index], columns=types, fill_value=0)
    z = grid.to_numpy(dtype=int)
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[safe(t) for t in types],
            y=[safe(p) for p in grid.index],
            colorscale=COUNTRY_SCALE,
            text=np.where(z > 0, z.astype(str), ""),
            texttemplate="%{text}",
            hovertemplate="%{y}: %{z:,} %{x}<extra></extra>",
            colorbar={"title": {"text": "events"}},
        )
    )
    figure.update_layout(  # no title: the types' names stand above the grid, where a title would cover them
        height=150 + ROW_HEIGHT * len(grid.index),
        margin={**MARGIN, "t": 110},
        xaxis={"side": "top", "tickangle": -40},
        yaxis={"autorange": "reversed"},
    )
    return figure
