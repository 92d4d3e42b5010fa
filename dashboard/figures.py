"""Plotly figures for the dashboard, built from data frames; no Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go


def timeline_figure(events: pd.DataFrame) -> go.Figure:
    """Return events on a time axis, one row per source actor, coloured by event type."""
    dated = events.dropna(subset=["day"])
    figure = px.scatter(
        dated, x="day", y="source_actor", color="event_type", hover_data={"target_actor": True, "date": True, "sentence": True, "day": False},
        labels={"day": "date", "source_actor": "actor", "event_type": "type"},
    )
    figure.update_layout(height=max(300, 28 * dated["source_actor"].nunique()), margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return figure


def articles_per_day_figure(articles: pd.DataFrame) -> go.Figure:
    """Return a bar chart of articles per publication day."""
    counts = articles.dropna(subset=["published"]).groupby("published").size().rename("articles").reset_index()
    return px.bar(counts, x="published", y="articles", labels={"published": "publication date"})
