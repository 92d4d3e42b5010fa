"""The dashboard's page: the sidebar's filters, one function per view, the cached loaders they call.

The data work is in ``queries`` (DuckDB aggregates), ``figures`` (plotly), ``evidence`` (safe Markdown),
``downloads`` and ``uploads``; this module lays their results out. Loaders are cached by store folder, store
commit (``generation``) and filter, so a filter seen before costs nothing and an ingest shows at once.
"""

from __future__ import annotations

import gc
import logging
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.actors import actor_names, affiliates_of, dictionary_affiliates, dictionary_aliases, resolved_actor, search_menu
from dashboard.article import article_heading, article_sentences, sentence_markdown
from dashboard.downloads import FORMATS, MAX_EXCEL_ROWS, download_bytes
from dashboard.evidence import dating_text, escaped, evidence_items, evidence_markdown, reported_by, source_markdown, span_notes
from dashboard.figures import (
    actor_bars,
    counterparts_figure,
    dyad_figure,
    heatmap_figure,
    map_figure,
    network_figure,
    profile_timeline,
    publishers_figure,
    roles_figure,
    timeline_figure,
    tone_figure,
    types_figure,
)
from dashboard.filters import (
    LIST_KEYS,
    PERIODS,
    STATUSES,
    VIEWS,
    WIDGET_KEYS,
    affiliates_text,
    filter_description,
    filter_from_values,
    is_default,
    ordered_types,
    type_families,
)
from dashboard.source import EventIndex
from dashboard.uploads import LOCK_WAIT_SECONDS, MAX_UPLOAD_MB, AddReport, add_articles, pasted_file, saved_uploads, url_sources
from pipeline.actors import ActorDictionary
from pipeline.ingest import InputFile
from pipeline.store import Affiliate, EventFilter, Store, StoreError, StoreLockedError, open_store
from pipeline.store.corrections import Correction, add_corrections, changed_fields, corrections_text, mention_ids, stored_corrections
from pipeline.store.reader import damaged_text, is_damaged
from pipeline.store.schema import BACKGROUND_DAYS

log = logging.getLogger(__name__)

# Above this many (event, actor) rows the timeline draws each actor's events per period instead of each event.
POINT_LIMIT = 3000
# The most actors a view lists (the timeline's rows slider goes up to it): one query per filter serves every view.
MOST_ACTORS = 40
# Rows of the events table sent to the browser; the sort menu picks which (in DuckDB), the table sorts those.
TABLE_ROWS = 1000
# The most publishers the publishers view's heat map shows (those with most events); its table lists every one.
MOST_PUBLISHERS = 30
# The fields the correction form sets, by the suffix of their widgets' keys (``fix_type_<event id>``).
FIX_WIDGETS = {"event_type": "type", "status": "status", "source_actor": "source", "target_actor": "target", "date": "date"}
PLOTLY_CONFIG = {"displaylogo": False, "scrollZoom": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


@dataclass(frozen=True)
class Context:
    """What every view needs: the store folder, its commit and the filter."""

    path: str
    generation: int
    filters: EventFilter


@st.cache_resource(show_spinner=False)
def libraries_frozen() -> bool:
    """Move the objects alive when the first page is drawn (the libraries' modules and classes: ~150,000 objects that live
    as long as the process) out of the garbage collector's reach, once per process: a full collection then skips them,
    instead of pausing a page by ~0.1 s to walk them all. Objects made later are collected as before."""
    gc.collect()
    gc.freeze()
    return True


@st.cache_resource(max_entries=4, show_spinner=False)
def cached_store(path: str) -> Store:
    """Return the store at ``path`` (one per folder and process)."""
    return open_store(path)


def generation_of(store: Store) -> int:
    """Return the store's last commit number (0 when nothing is stored)."""
    manifest = store.manifest()
    return manifest.generation if manifest else 0


@st.cache_resource(max_entries=2, show_spinner=False)
def event_index(path: str, generation: int) -> EventIndex:
    """Return the events of one store commit, copied to memory in the background."""
    return EventIndex(cached_store(path))


@st.cache_data(max_entries=1024, show_spinner=False)
def view_data(query: str, path: str, generation: int, f: EventFilter, *args: Any) -> Any:
    """Return ``queries.<query>(source, f, *args)`` for one store commit and filter, cached."""
    started = time.perf_counter()
    index = event_index(path, generation)
    result = getattr(queries, query)(index, f, *args)
    log.debug("%s %.3f s (%s)", query, time.perf_counter() - started, "memory" if index.in_memory(f) else "files")
    return result


@st.cache_data(max_entries=8, show_spinner=False)
def store_facets(path: str, generation: int) -> queries.Facets:
    """Return the values the filter menus offer for one store commit."""
    return queries.facets(cached_store(path))


@st.cache_resource(show_spinner=False)
def dictionary_reading() -> threading.Thread:
    """Start reading the actor dictionary in a background thread, once per process (after the first page is drawn, so as
    not to delay it): the first actor chosen then finds it read (~0.5 s)."""
    thread = threading.Thread(target=ActorDictionary.load, name="eventline-actors", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner="Reading the actor dictionary…")
def actor_dictionary() -> ActorDictionary:
    """Return the actor dictionary (read once per process; the background reading, when started, is waited for)."""
    dictionary_reading().join()
    return ActorDictionary.load()


@st.cache_resource(show_spinner=False)
def known_aliases() -> dict[str, tuple[str, ...]]:
    """Return the actor dictionary's aliases by canonical name (once per process)."""
    return dictionary_aliases(actor_dictionary())


@st.cache_resource(show_spinner=False)
def known_affiliates() -> dict[str, tuple[Affiliate, ...]]:
    """Return the members and officials of the dictionary's organisations, states and groups by canonical name (once per process)."""
    return dictionary_affiliates(actor_dictionary())


@st.cache_data(max_entries=64, show_spinner=False)
def stored_affiliates(path: str, generation: int, chosen: tuple[str, ...]) -> tuple[Affiliate, ...]:
    """Return the members and officials of the chosen actors that take part in stored events."""
    return affiliates_of(chosen, known_affiliates(), set(store_facets(path, generation).actors))


@st.cache_data(max_entries=8, show_spinner=False)
def stored_actor_names(path: str, generation: int) -> dict[str, tuple[str, ...]]:
    """Return every stored actor, most active first, with the names and aliases it may be typed under."""
    return actor_names(store_facets(path, generation).actors, known_aliases())


@st.cache_data(max_entries=64, show_spinner=False)
def actor_aliases(path: str, generation: int, actor: str) -> pd.DataFrame:
    """Return the words an actor was found under."""
    return queries.aliases(cached_store(path), actor)


@st.cache_data(max_entries=64, show_spinner=False)
def event_evidence(path: str, generation: int, event_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return one event and the mentions merged into it."""
    store = cached_store(path)
    return queries.event_row(store, event_id), queries.evidence_mentions(store, event_id)


@st.cache_data(max_entries=64, show_spinner=False)
def article_data(path: str, generation: int, article_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return one article's metadata and the mentions read from it."""
    store = cached_store(path)
    return queries.article_row(store, article_id), queries.article_mentions(store, article_id)


def data(ctx: Context, query: str, *args: Any, f: EventFilter | None = None) -> Any:
    """Return a cached query result under the context's filter (or the one given)."""
    return view_data(query, ctx.path, ctx.generation, f or ctx.filters, *args)


def top_actor_names(ctx: Context, n: int) -> list[str]:
    """Return the ``n`` actors in most kept events in any role (at most ``MOST_ACTORS``), most active first."""
    return data(ctx, "top_actors", "any", MOST_ACTORS)["actor"].head(n).tolist()


def clear_filters() -> None:
    """Reset every filter widget (a button's callback, run before the page)."""
    for key in (*LIST_KEYS.values(), "family"):
        st.session_state[key] = []
    reset = {"actor_search": "", "source_only": False, "members": True, "background": False}
    reset |= {"min_articles": 0, "min_confidence": 0.0, "q": ""}
    for key, value in reset.items():
        st.session_state[key] = value
    st.session_state.pop("dates", None)
    forget_unknown_actors()


def forget_unknown_actors() -> None:
    """Drop the warning about a link's unknown actors (once the actors are chosen again)."""
    st.session_state.pop("unknown_actors", None)


def link_actors(stored: tuple[str, ...], names: Callable[[], dict[str, tuple[str, ...]]]) -> None:
    """Turn the link's actors into the store's spelling (any case, or an alias: ``?actor=kremlin`` is Russia) before the
    widget reads them, and keep the ones the store lacks for a warning; the dictionary is read only for a name not stored."""
    given = st.query_params.get_all("actor")
    if set(given) <= set(stored):
        return
    found = [resolved_actor(value, names()) for value in given]
    if found == given:
        return
    st.session_state["actor"] = list(dict.fromkeys(actor for actor in found if actor))
    st.session_state["unknown_actors"] = [value for value, actor in zip(given, found, strict=True) if not actor]


def actor_picker(stored: tuple[str, ...], names: Callable[[], dict[str, tuple[str, ...]]]) -> None:
    """Draw the actor search (names and the dictionary's aliases, ranked) and the menu of every stored actor, or of those
    the search finds."""
    bar = st.sidebar
    query = bar.text_input("Find actors", key="actor_search", placeholder="Name or alias, e.g. Kremlin", max_chars=100)
    chosen = st.session_state.get("actor") or st.query_params.get_all("actor")
    options = search_menu(names(), query, chosen) if query.strip() else list(stored)
    if query.strip() and not set(options) - set(chosen):
        bar.caption(f"No actor found for {escaped(query.strip())}.")
    bar.multiselect(
        "Actors",
        options,
        key="actor",
        bind="query-params",
        on_change=forget_unknown_actors,
        filter_mode="contains",
        placeholder="Choose actors" if query.strip() else "Choose or type actors",
        help="An event matches when the actor is its source, target or a participant. Find actors by a name or an alias above.",
    )


def date_range(facets: queries.Facets) -> None:
    """Draw the date range: by default the days holding the bulk of the occurred events, so that a few stray dates do not
    stretch it, with the store's whole range one click away."""
    bar = st.sidebar
    bounds = (facets.first_day, facets.last_day)
    bar.date_input(
        "Dates",
        value=(facets.bulk_first, facets.bulk_last),
        min_value=facets.first_day,
        max_value=facets.last_day,
        key="dates",
        bind="query-params",
        help=f"By default the days of most events, without a few stray dates far off; the store's: {bounds[0]} to {bounds[1]}.",
    )
    if (facets.bulk_first, facets.bulk_last) != bounds:
        bar.button(f"All dates ({bounds[0]} to {bounds[1]})", key="all_dates", on_click=all_dates, args=(bounds,), width="stretch")


def all_dates(bounds: tuple[date, date]) -> None:
    """Widen the date range to every stored date (a button's callback)."""
    st.session_state["dates"] = bounds


def members_option(affiliates: Callable[[tuple[str, ...]], tuple[Affiliate, ...]]) -> None:
    """Draw the switch that adds the chosen actors' members and officials, and say whom it adds."""
    bar = st.sidebar
    bar.checkbox(
        "Include members and officials",
        value=True,
        key="members",
        bind="query-params",
        help="On (the default), an organisation, state or group chosen above also counts the acts of its members and "
        "officials: the bodies under it (NATO's Military Committee) and the people holding an office in it, on the days "
        "they held it (NATO's secretary general, a state's ministers), as the actor dictionary dates their roles. "
        "Member states are not included: choose them as actors. Off: only the acts naming the chosen actors.",
    )
    chosen = tuple(st.session_state.get("actor") or ())
    if chosen and st.session_state.get("members") is not False:
        added = affiliates(chosen)
        bar.caption(f"Also: {escaped(affiliates_text(added))}." if added else "No member or official of these in the store.")


def sidebar_filters(
    facets: queries.Facets,
    names: Callable[[], dict[str, tuple[str, ...]]],
    affiliates: Callable[[tuple[str, ...]], tuple[Affiliate, ...]],
) -> EventFilter:
    """Draw the filters in the sidebar (each bound to the URL) and return the filter they set."""
    bar = st.sidebar
    bar.header("Filters")
    link_actors(facets.actors, names)
    if unknown := st.session_state.get("unknown_actors"):
        bar.warning(f"No actor in the store is called {escaped(', '.join(unknown))}: the other filters apply.")
    actor_picker(facets.actors, names)
    members_option(affiliates)
    bar.checkbox("As source only", key="source_only", bind="query-params")
    bar.multiselect("Countries", facets.countries, key="country", bind="query-params", help="ISO codes of the source, target or place.")
    families = type_families()
    bar.multiselect(
        "Event families",
        list(families),
        key="family",
        bind="query-params",
        help="Every type of a family: " + "; ".join(f"{name}: {', '.join(types)}" for name, types in families.items() if len(types) > 1),
    )
    bar.multiselect("Event types", ordered_types(), key="type", bind="query-params", help="Listed family by family.")
    bar.multiselect("Status", STATUSES, key="status", bind="query-params")
    bounds = (facets.first_day, facets.last_day)
    if facets.first_day and facets.last_day:
        date_range(facets)
    bar.multiselect("Publishers", facets.publishers, key="publisher", bind="query-params")
    bar.number_input("Minimum number of articles", min_value=0, max_value=10_000, step=1, key="min_articles", bind="query-params")
    bar.slider("Minimum confidence", 0.0, 1.0, step=0.05, key="min_confidence", bind="query-params")
    bar.text_input("Text in the evidence", key="q", bind="query-params", placeholder="e.g. sanctions", max_chars=200)
    bar.checkbox(
        "Show background events",
        key="background",
        bind="query-params",
        help=f"Events dated over {BACKGROUND_DAYS} days before the article that first reported them ('since 2018', 'in 2016', "
        "'last year') are the story's past, not its news: hidden unless this is on.",
    )
    bar.button("Clear filters", on_click=clear_filters, width="stretch")
    return filter_from_values({key: st.session_state.get(key) for key in WIDGET_KEYS}, bounds, affiliates)


def download_section(store: Store, f: EventFilter, total: int) -> None:
    """Offer the filtered events as CSV, JSON and Excel in the sidebar (built when clicked)."""
    bar = st.sidebar
    bar.subheader("Download")
    bar.caption(f"The {total:,} events these filters keep, with a first line naming the filters.")
    for fmt, label in (("csv", "CSV"), ("json", "JSON"), ("xlsx", "Excel")):
        too_big = fmt == "xlsx" and total > MAX_EXCEL_ROWS
        bar.download_button(
            label,
            data=partial(download_bytes, store, f, fmt),
            file_name=f"eventline-events.{fmt}",
            mime=FORMATS[fmt],
            key=f"download_{fmt}",
            on_click="ignore",
            disabled=too_big or total == 0,
            width="stretch",
            help=f"More than {MAX_EXCEL_ROWS:,} events: download CSV" if too_big else None,
        )
    made = stored_corrections(store.path)
    bar.download_button(
        f"Corrections ({len(made):,})",
        data=corrections_text(made).encode("utf-8"),
        file_name="eventline-corrections.jsonl",
        mime="application/x-ndjson",
        key="download_corrections",
        on_click="ignore",
        disabled=not made,
        width="stretch",
        help="The corrections made to this store, as JSON lines: apply them to another with "
        "`python -m pipeline corrections apply FILE --store DIR`.",
    )


def about_panel(facets: queries.Facets, generation: int) -> None:
    """Show the store in figures: counts, date range, sources, the most active actors."""
    with st.expander("About the data"):
        cols = st.columns(4)
        cols[0].metric("articles", f"{facets.articles:,}")
        cols[1].metric("mentions", f"{facets.mentions:,}")
        cols[2].metric("events", f"{facets.events:,}")
        cols[3].metric("publishers", f"{len(facets.publishers):,}")
        dates = f"{facets.first_day} to {facets.last_day}" if facets.first_day else "no dated events"
        st.text(f"Event dates: {dates}. Store commit {generation}.")
        publishers = ", ".join(facets.publishers[:30]) + (" …" if len(facets.publishers) > 30 else "")
        st.text("Publishers: " + (publishers or "none named"))
        top = zip(facets.actors[:8], facets.actor_events[:8], strict=True)
        st.text("Most active actors: " + "; ".join(f"{name} ({count:,})" for name, count in top))
        st.caption(
            "Each event is an act reported by one or more sentences, merged across articles. Dates carry their precision; "
            "events dated only to a month or year are left out of per-day counts. Switch between light and dark in the ⋮ menu → Settings."
        )


def timeline_view(ctx: Context) -> None:
    """Show events per period and, below, one row per top actor."""
    left, right = st.columns(2)
    requested = left.selectbox("Count per", PERIODS, key="period", bind="query-params")
    rows = right.slider("Actor rows", 5, MOST_ACTORS, 15, key="rows", bind="query-params")
    brief = data(ctx, "overview")
    period = queries.auto_period(brief.low, brief.high, requested)
    counts = data(ctx, "period_counts", period)
    actors = top_actor_names(ctx, rows)
    cells = data(ctx, "timeline_cells", actors, period)
    if int(cells["events"].sum()) <= POINT_LIMIT:
        points = data(ctx, "timeline_points", actors, POINT_LIMIT)
        figure = timeline_figure(counts, actors, period, points=points, span=(brief.low, brief.high))
        st.caption(f"Each dot is an event on the row of an actor taking part; bars count events per {period}. Drag to zoom.")
    else:
        figure = timeline_figure(counts, actors, period, cells=cells, span=(brief.low, brief.high))
        st.caption(
            f"Too many events to draw one by one: each dot is an actor's events in one {period}, sized by their number and "
            "coloured by the most frequent type. Narrow the filters to see single events."
        )
    st.plotly_chart(figure, config=PLOTLY_CONFIG, key="timeline_chart")


def actors_view(ctx: Context) -> None:
    """Show the most active actors by role, an actor-by-month heat map and the network of who acts on whom."""
    left, right = st.columns(2)
    left.plotly_chart(actor_bars(data(ctx, "top_actors", "source", 15), "source"), config=PLOTLY_CONFIG, key="sources_chart")
    right.plotly_chart(actor_bars(data(ctx, "top_actors", "target", 15), "target"), config=PLOTLY_CONFIG, key="targets_chart")
    actors = top_actor_names(ctx, 20)
    brief = data(ctx, "overview")
    heatmap = heatmap_figure(data(ctx, "actor_months", actors), actors, (brief.low, brief.high))
    st.plotly_chart(heatmap, config=PLOTLY_CONFIG, key="heatmap_chart")
    st.plotly_chart(network_figure(data(ctx, "actor_edges", 40)), config=PLOTLY_CONFIG, key="network_chart")
    st.caption(
        "Edges run from source to target (acts among equals join each pair of participants); their colour is the mean "
        "Goldstein score: red for conflict, blue for cooperation."
    )


def profile_view(ctx: Context, facets: queries.Facets) -> None:
    """Show one actor: its timeline, counterparts, event types, roles over time and the words it was found under."""
    chosen = st.selectbox("Actor", facets.actors, index=None, key="profile", bind="query-params", placeholder="Choose an actor")
    if not chosen:
        top = top_actor_names(ctx, 1)
        if not top:
            st.info("No actor under these filters.")
            return
        chosen = top[0]
        st.caption(f"Showing the most active actor under these filters, {chosen}; choose another above.")
    brief = data(ctx, "overview")
    period = queries.auto_period(brief.low, brief.high)
    roles = data(ctx, "profile_roles", chosen, period)
    points = data(ctx, "profile_points", chosen, POINT_LIMIT) if int(roles["events"].sum()) <= POINT_LIMIT else None
    st.plotly_chart(profile_timeline(points, roles, period), config=PLOTLY_CONFIG, key="profile_timeline")
    left, right = st.columns(2)
    left.plotly_chart(counterparts_figure(data(ctx, "profile_counterparts", chosen)), config=PLOTLY_CONFIG, key="counterparts_chart")
    right.plotly_chart(types_figure(data(ctx, "profile_types", chosen)), config=PLOTLY_CONFIG, key="types_chart")
    left, right = st.columns([2, 1])
    left.plotly_chart(roles_figure(roles, period), config=PLOTLY_CONFIG, key="roles_chart")
    right.markdown("**Found in the articles as**")
    right.dataframe(actor_aliases(ctx.path, ctx.generation, chosen), hide_index=True, width="stretch")


def pair_menus(facets: queries.Facets) -> tuple[str | None, str | None]:
    """Draw the two actor menus of the dyad and tone views (one choice for both, ``?dyad_a=&dyad_b=`` in the URL) and
    return the actors chosen."""
    left, right = st.columns(2)
    first = left.selectbox("First actor", facets.actors, index=None, key="dyad_a", bind="query-params", placeholder="Choose an actor")
    second = right.selectbox("Second actor", facets.actors, index=None, key="dyad_b", bind="query-params", placeholder="Choose an actor")
    return first, second


def dyad_pair(ctx: Context, facets: queries.Facets) -> tuple[str, str] | None:
    """Draw the two actor menus of the dyad view and return the pair chosen; with one actor chosen, it and its most
    frequent counterpart; with none, the pair with most events under the filters (the network's first edge)."""
    first, second = pair_menus(facets)
    if first and second:
        return first, second
    pair = busiest_pair(ctx, first or second)
    if pair is None:
        return None
    st.caption(f"Showing {escaped(pair[0])} and {escaped(pair[1])}, the busiest pair under these filters; choose others above.")
    return pair


def busiest_pair(ctx: Context, actor: str | None) -> tuple[str, str] | None:
    """Return the actor given and its most frequent counterpart, or without one the pair with most events (None: no pair)."""
    if actor:
        counterparts = data(ctx, "profile_counterparts", actor, 1)
        return (actor, str(counterparts.iloc[0]["counterpart"])) if not counterparts.empty else None
    edges = data(ctx, "actor_edges", 1)
    return (str(edges.iloc[0]["source"]), str(edges.iloc[0]["target"])) if not edges.empty else None


def dyad_caption(months: pd.DataFrame, first: str, second: str) -> str:
    """Return the dyad's events in words: how many each way and among equals, and how many no month holds."""
    by_direction = months.groupby("direction")["events"].sum()
    undated = int(months.loc[months["month"].isna(), "events"].sum())
    counts = (
        f"{int(by_direction.get('first', 0)):,} {first} → {second}, {int(by_direction.get('second', 0)):,} {second} → {first}, "
        f"{int(by_direction.get('mutual', 0)):,} among equals"
    )
    left_out = f"; {undated:,} dated only to a year (or not at all) are not drawn" if undated else ""
    return f"{int(months['events'].sum()):,} events between them under these filters: {counts}{left_out}."


def dyad_view(ctx: Context, facets: queries.Facets) -> None:
    """Show two actors' interactions over time: events per month by type in each direction and among equals, and the mean
    Goldstein score per month."""
    pair = dyad_pair(ctx, facets)
    if pair is None:
        chosen = st.session_state.get("dyad_a") or st.session_state.get("dyad_b")
        alone = f"{escaped(chosen)} acts with no other actor" if chosen else "No two actors act together"
        st.info(f"{alone} under these filters.")
        return
    first, second = pair
    if first == second:
        st.info("Choose two different actors.")
        return
    months = data(ctx, "dyad_months", first, second)
    st.caption(escaped(dyad_caption(months, first, second)))
    st.plotly_chart(dyad_figure(months, first, second), config=PLOTLY_CONFIG, key="dyad_chart")
    st.caption(
        "Goldstein scores run from -10 (most conflictual) to +10 (most cooperative); the bars are the mean of both "
        "directions and acts among equals, the circles and diamonds each direction's."
    )


def tone_caption(tone: pd.DataFrame, period: str, between: str = "") -> str:
    """Return a tone table in words: its events, how many cooperative, conflictual and neither, and how many no period
    holds."""
    undated = int(tone.loc[tone["period"].isna(), "events"].sum())
    left_out = f"; not drawn: {undated:,} dated less precisely than a {period}" if undated else ""
    return (
        f"{int(tone['events'].sum()):,} events{between} under these filters: {int(tone['cooperative'].sum()):,} cooperative "
        f"(Goldstein score above zero), {int(tone['conflictual'].sum()):,} conflictual (below zero), "
        f"{int(tone['neutral'].sum()):,} neither{left_out}."
    )


def tone_view(ctx: Context, facets: queries.Facets) -> None:
    """Show the tone of the kept events per week (coarser over many years): the mean Goldstein score and the cooperative
    and conflictual events; then the same for the events between two actors, chosen as in the dyad view."""
    brief = data(ctx, "overview")
    period = queries.auto_period(brief.low, brief.high, "week")
    tone = data(ctx, "tone_periods", period)
    st.caption(escaped(tone_caption(tone, period)))
    st.plotly_chart(tone_figure(tone, period), config=PLOTLY_CONFIG, key="tone_chart")
    st.subheader("Between two actors")
    first, second = pair_menus(facets)
    if not (first and second):
        st.caption("Choose two actors to see the tone of the events between them (the dyad view shows the same pair).")
        return
    if first == second:
        st.info("Choose two different actors.")
        return
    pair = data(ctx, "dyad_tone", first, second, period)
    if pair.empty:
        st.info(f"No events between {escaped(first)} and {escaped(second)} under these filters.")
        return
    st.caption(escaped(tone_caption(pair, period, f" between {first} and {second}")))
    figure = tone_figure(pair, period, f"{first} and {second}: either acting on the other, or both in an act among equals")
    st.plotly_chart(figure, config=PLOTLY_CONFIG, key="dyad_tone_chart")


def event_columns() -> dict[str, Any]:
    """Return how an events table shows its columns."""
    return {
        "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0, format="%.2f"),
        "n_articles": st.column_config.NumberColumn("articles"),
        "sentence": st.column_config.TextColumn("sentence", width="large"),
    }


def publishers_view(ctx: Context) -> None:
    """Show which publishers reported what (events per publisher and type, each publisher's events and those it alone
    reported), and the events one publisher alone reported, each opening its evidence."""
    summary = data(ctx, "publisher_summary")
    if summary.empty:
        st.info("No publisher is named for the events these filters keep.")
        return
    total = data(ctx, "overview").events
    alone = int(summary["alone"].sum())
    shown = summary["publisher"].head(MOST_PUBLISHERS).tolist()
    more = f"; the heat map shows the {len(shown)} with most events" if len(summary) > len(shown) else ""
    st.caption(f"{len(summary):,} publishers; {alone:,} of the {total:,} events were reported by one publisher alone{more}.")
    st.markdown("**Events per publisher and type**")
    st.plotly_chart(publishers_figure(data(ctx, "publisher_types"), shown), config=PLOTLY_CONFIG, key="publishers_chart")
    st.dataframe(
        summary.rename(columns={"events": "events reported", "alone": "reported by it alone"}),
        hide_index=True,
        width="stretch",
        key="publishers_table",
    )
    st.subheader("Reported by one publisher only")
    if not alone:
        st.caption("Every event these filters keep was reported by more than one publisher.")
        return
    table = data(ctx, "single_publisher_events", TABLE_ROWS)
    st.caption(f"Showing {len(table):,} of {alone:,} events, by publisher. Click a row to see its evidence.")
    evidence_table(ctx, table, f"single_table_{abs(hash(ctx.filters)) % 10**8}")


def map_view(ctx: Context) -> None:
    """Show events per country (shaded) and located events (circles sized by count) on a world map."""
    places = data(ctx, "map_places")
    countries = data(ctx, "country_counts")
    total = data(ctx, "overview").events
    located = int(places["events"].sum()) if not places.empty else 0
    st.caption(f"{located:,} of {total:,} events have a known place ({len(places):,} places).")
    st.caption(
        f"Countries are shaded by the events that involve them as source, target or place ({len(countries):,} countries; "
        "an event counts once for each of its countries); circles are the places the articles name."
    )
    st.plotly_chart(map_figure(places, countries), config=PLOTLY_CONFIG, key="map_chart")
    if not places.empty:
        st.dataframe(places.head(100), hide_index=True, width="stretch")


def events_view(ctx: Context) -> None:
    """Show the events table; the selected row opens its evidence."""
    left, middle, right = st.columns([2, 1, 3])
    sort = left.selectbox("Sort by", list(queries.SORTABLE), key="sort", bind="query-params")
    descending = middle.toggle("Descending", key="descending")
    page = data(ctx, "events_page", sort, descending, TABLE_ROWS)
    total = data(ctx, "overview").events
    right.caption(f"Showing {len(page):,} of {total:,} events. Click a row to see its evidence; click a header to sort these rows.")
    evidence_table(ctx, page, f"events_table_{abs(hash(ctx.filters)) % 10**8}_{sort}_{descending}")


def evidence_table(ctx: Context, table: pd.DataFrame, key: str) -> None:
    """Draw a table of events whose selected row opens its evidence (``key``: the widget's, new for each filter)."""
    selection = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=380,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_config=event_columns(),
    )
    opened_evidence(ctx, table, selection)


def opened_evidence(ctx: Context, table: pd.DataFrame, selection: Any) -> None:
    """Open the event of the table's selected row (in the URL: ``&event=``), and show the opened event's evidence."""
    rows = selection.selection.rows if selection else []
    if rows:
        chosen = str(table.iloc[rows[0]]["event_id"])
        if st.query_params.get("event") != chosen:
            st.query_params.pop("article", None)  # the article opened under another event
        st.query_params["event"] = chosen
        st.session_state["event_filter"] = ctx.filters
    event_id = st.query_params.get("event", "")
    if event_id:
        evidence_panel(ctx, event_id)


def close_stale_event(f: EventFilter) -> None:
    """Close the opened event (its evidence and ``&event=``) when the filter it was opened under changes; a link's event
    belongs to the link's filter."""
    if "event" not in st.query_params:
        return
    if st.session_state.setdefault("event_filter", f) != f:
        del st.query_params["event"]
        st.query_params.pop("article", None)
        st.session_state.pop("event_filter")


def evidence_panel(ctx: Context, event_id: str) -> None:
    """Show an event's evidence: every sentence that reports it, highlighted, with its article, dating, status and confidence."""
    event, mentions = event_evidence(ctx.path, ctx.generation, event_id)
    if event.empty:
        st.warning("The event in the link is not in the store (any more).")
        return
    row = event.iloc[0]
    st.subheader("Evidence")
    target = f" → {row['target_actor']}" if row["target_actor"] else ""
    st.text(
        f"{row['event_type']} ({row['status']}) on {row['date']} ({row['date_precision']}): {row['source_actor']}{target}"
        f" · {reported_by(int(row['n_articles']), int(row['n_publishers']))} · confidence {float(row['confidence']):.2f} · {event_id}"
        + (f" · background: dated over {BACKGROUND_DAYS} days before its first report" if bool(row["background"]) else "")
    )
    correction_form(ctx, row)
    st.caption(
        "Highlights: :red-background[**trigger**] :blue-background[source] :orange-background[target] :violet-background[other actor]"
    )
    items = [item for _, mention in mentions.iterrows() for item in evidence_items(mention)]
    for number, item in enumerate(items):
        with st.container(border=True):
            st.markdown(evidence_markdown(item))
            notes = span_notes(item.sentence, item.spans)
            if notes:
                st.caption(escaped(" · ".join(notes)))
            st.markdown(source_markdown(item))
            st.caption(escaped(dating_text(item)))
            if item.article_id:
                st.button("Open article", key=f"open_article_{number}", on_click=open_article, args=(item.article_id,))
    article_id = st.query_params.get("article", "")
    if article_id:
        article_panel(ctx, article_id)


def correction_form(ctx: Context, event: pd.Series) -> None:
    """Offer to correct an event's type, status, actors and date, or to flag it as wrong (kept beside the store)."""
    key = str(event["event_id"])
    with st.expander("Correct this event"):
        left, right = st.columns(2)
        left.selectbox("Type", list(dict.fromkeys([event["event_type"], *ordered_types()])), key=f"fix_type_{key}")
        right.selectbox("Status", list(dict.fromkeys([event["status"], *STATUSES])), key=f"fix_status_{key}")
        left.text_input("Source actor", value=event["source_actor"], key=f"fix_source_{key}", max_chars=200)
        right.text_input("Target actor", value=event["target_actor"], key=f"fix_target_{key}", max_chars=200)
        left.text_input("Date (YYYY-MM-DD, YYYY-MM or YYYY)", value=event["date"], key=f"fix_date_{key}", max_chars=10)
        right.text_input("Why (optional)", key=f"fix_note_{key}", max_chars=500)
        record = {c: event[c] for c in ("event_id", *FIX_WIDGETS)} | {"mention_ids": [str(m) for m in event["mention_ids"]]}
        save, flag = st.columns(2)
        save.button("Save corrections", key="fix_save", on_click=saved_corrections, args=(ctx.path, record), width="stretch")
        flag.button("Flag as wrong", key="fix_wrong", on_click=flagged_wrong, args=(ctx.path, record), width="stretch")
        st.caption(
            "Corrections are kept beside the store (`corrections.jsonl`), outlast re-ingests and apply to every view and "
            "download; an event flagged wrong leaves them. *Corrections* in the sidebar downloads them to share."
        )


def saved_corrections(path: str, event: dict[str, object]) -> None:
    """Store the corrections the form's values make (a button's callback); the next page says what was done."""
    given = {name: str(st.session_state.get(f"fix_{short}_{event['event_id']}") or "") for name, short in FIX_WIDGETS.items()}
    report_corrections(path, changed_fields(event, given, utc_now(), fix_note(event)))


def flagged_wrong(path: str, event: dict[str, object]) -> None:
    """Store that an event is wrong (a button's callback), and close it."""
    wrong = Correction(str(event["event_id"]), tuple(mention_ids(event)), "wrong", "true", utc_now(), fix_note(event))
    if report_corrections(path, [wrong]):
        st.query_params.pop("event", None)
        st.query_params.pop("article", None)


def fix_note(event: dict[str, object]) -> str:
    """Return the reason the correction form gives for an event."""
    return str(st.session_state.get(f"fix_note_{event['event_id']}") or "").strip()


def report_corrections(path: str, items: list[Correction]) -> bool:
    """Add corrections to the store and keep a line saying what happened for the next page; return True when added."""
    if not items:
        st.session_state["correction_report"] = (True, "Nothing to save: no field was changed.")
        return False
    try:
        add_corrections(Path(path), items, LOCK_WAIT_SECONDS)
    except ValueError as err:
        st.session_state["correction_report"] = (False, f"Not saved: {err}.")
        return False
    except StoreLockedError:
        st.session_state["correction_report"] = (False, "An ingest is writing the store right now: save again in a moment.")
        return False
    fields = ", ".join("flagged wrong" if c.field == "wrong" else f"{c.field} {c.value}" for c in items)
    st.session_state["correction_report"] = (True, f"Saved: {fields}.")
    return True


def last_correction() -> None:
    """Show, once, what the last correction did."""
    if "correction_report" in st.session_state:
        ok, text = st.session_state.pop("correction_report")
        (st.success if ok else st.error)(escaped(text))


def utc_now() -> str:
    """Return the time now, UTC, as ISO 8601 to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def open_article(article_id: str) -> None:
    """Open an article under the event's evidence (in the URL: ``&article=``; a button's callback)."""
    st.query_params["article"] = article_id


def close_article() -> None:
    """Close the opened article (a button's callback)."""
    del st.query_params["article"]


def article_panel(ctx: Context, article_id: str) -> None:
    """Show an article as the store keeps it: its title, publisher, date and address as plain text, then every stored
    sentence of it in order, each event's trigger and actors highlighted (article text escaped, never HTML)."""
    article, mentions = article_data(ctx.path, ctx.generation, article_id)
    st.subheader("Article")
    st.button("Close article", key="close_article", on_click=close_article)
    if article.empty:
        st.warning("The article in the link is not in the store (any more).")
        return
    st.text(article_heading(article.iloc[0]))
    sentences = article_sentences(mentions)
    st.caption(
        f"The store keeps an article's sentences that report events, not its whole text: these are its {len(sentences):,}, "
        "in the article's order, each event's trigger and actors highlighted."
    )
    for item in sentences:
        with st.container(border=True):
            st.markdown(sentence_markdown(item))
            where = f"sentence {item.index + 1}" if item.index >= 0 else "sentence"
            notes = [where + (" (a photo caption)" if item.is_caption else ""), *item.events, *span_notes(item.sentence, item.spans)]
            st.caption(escaped(" · ".join(notes)))


def add_view(path: Path) -> None:
    """Take files, pasted text or URLs, run them through the pipeline with a progress bar and add them to the store."""
    st.write("Add news articles to the store: they are read, cleaned and their events extracted as by `python -m pipeline ingest`.")
    files = st.file_uploader(
        f"Files (every format the pipeline reads, at most {MAX_UPLOAD_MB} MB each)",
        accept_multiple_files=True,
        max_upload_size=MAX_UPLOAD_MB,
        key="upload_files",
    )
    title = st.text_input("Title of the pasted article", key="paste_title")
    text = st.text_area("Or paste an article's text", key="paste_text", height=150)
    urls = st.text_area("Or give URLs, one per line", key="paste_urls", height=80)
    published = st.date_input("Publication date (optional; overrides the articles' own)", value=None, key="upload_published")
    if not st.button("Add to the store", type="primary", key="add_articles"):
        return
    bar = st.progress(0.0, text="starting")
    with tempfile.TemporaryDirectory() as folder:
        kept, refused = saved_uploads([(f.name, f.getvalue()) for f in files or []], Path(folder))
        sources: list[tuple[str, str | InputFile]] = [*kept]
        if text.strip():
            sources.append(("pasted text", pasted_file(text, title, Path(folder))))
        found, not_urls = url_sources(urls)
        sources += [(u, u) for u in found]
        refused += not_urls
        if not sources and not refused:
            bar.empty()
            st.warning("Nothing to add: upload a file, paste text or give a URL.")
            return
        report = add_articles(sources, path, lambda share, words: bar.progress(min(share, 1.0), text=words), published)
    st.session_state["add_report"] = (report, refused)
    st.rerun()  # the page again, counting the new events, with the report at its top


def last_report() -> None:
    """Show, once, what the last *Add to the store* did (it reran the page so that every count includes the new events)."""
    if "add_report" in st.session_state:
        show_report(*st.session_state.pop("add_report"))


def show_report(report: AddReport, refused: list[Any]) -> None:
    """Show what adding articles did, one line per source."""
    for source in (*refused, *report.sources):
        if source.ok:
            st.success(f"{escaped(source.source)}: {source.articles} article(s) read")
        else:
            problems = "; ".join(source.problems) or "no article found"
            st.error(f"{escaped(source.source)}: {source.articles} article(s) read; {escaped(problems)}")
    if report.error:
        st.error(escaped(report.error))
    else:
        replaced = f", {len(report.replaced_ids)} replaced by new text ({', '.join(report.replaced_ids)})" if report.replaced_ids else ""
        st.info(
            f"{report.added} article(s) added, giving {report.extracted:,} event(s){escaped(replaced)}, "
            f"{report.already_stored} already stored; "
            f"the store now holds {report.events:,} events."
        )


def no_events(f: EventFilter) -> None:
    """Say that the filters keep no event, and offer to clear them."""
    st.info(f"No events match these filters ({escaped(filter_description(f))}).")
    st.button("Clear filters", on_click=clear_filters, key="clear_filters_empty")


def empty_store(path: Path) -> None:
    """Say that the store holds nothing yet, and how to fill it."""
    last_report()
    st.info(f"No articles in the store at {escaped(path)} yet. Add some below, or run `python -m pipeline ingest PATH --store {path}`.")
    add_view(path)


def show_view(name: str, ctx: Context, facets: queries.Facets, total: int) -> None:
    """Draw one view (the others are not computed)."""
    if name == "Add articles":
        add_view(Path(ctx.path))
    elif total == 0:
        no_events(ctx.filters)
    elif name == "Timeline":
        timeline_view(ctx)
    elif name == "Actor activity":
        actors_view(ctx)
    elif name == "Actor profile":
        profile_view(ctx, facets)
    elif name == "Dyad":
        dyad_view(ctx, facets)
    elif name == "Tone":
        tone_view(ctx, facets)
    elif name == "Publishers":
        publishers_view(ctx)
    elif name == "Map":
        map_view(ctx)
    else:
        events_view(ctx)


def page(path: Path) -> None:
    """Draw the whole page for the store at ``path``; a store that cannot be read (of another version, a part file missing
    or damaged) gets one line saying what state it is in and what to do."""
    libraries_frozen()
    st.title("Eventline")
    try:
        store_page(path)
    except StoreError as err:
        st.error(escaped(err))
    except Exception as err:  # only a damaged store is answered here; anything else is raised again
        if not is_damaged(err):
            raise
        st.error(escaped(damaged_text(path, err)))


def store_page(path: Path) -> None:
    """Draw the page of a store that can be read: its filters, figures and views, or how to fill it when empty."""
    store = cached_store(str(path))
    generation = generation_of(store)
    if generation == 0:
        empty_store(path)
        return
    facets = store_facets(str(path), generation)
    f = sidebar_filters(facets, partial(stored_actor_names, str(path), generation), partial(stored_affiliates, str(path), generation))
    close_stale_event(f)
    ctx = Context(str(path), generation, f)
    total = data(ctx, "overview").events
    download_section(store, f, total)
    named = replace(f, background=True)  # the switch in the sidebar says whether background events are shown
    st.caption(
        f"{total:,} of {facets.events:,} events" + ("" if is_default(named) else f" · filters: {escaped(filter_description(named))}")
    )
    last_report()
    last_correction()
    about_panel(facets, generation)
    tabs = st.tabs(VIEWS, key="view", on_change="rerun", bind="query-params")
    for name, tab in zip(VIEWS, tabs, strict=True):
        if tab.open:
            with tab:
                show_view(name, ctx, facets, total)
    dictionary_reading()
