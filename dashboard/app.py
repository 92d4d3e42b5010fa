"""Eventline dashboard: ``streamlit run dashboard/app.py -- --store data/store``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.data import load_articles, load_events  # noqa: E402
from dashboard.figures import articles_per_day_figure, timeline_figure  # noqa: E402


def store_path() -> Path:
    """Return the store folder given after ``--`` on the command line (default: data/store)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "store")
    return parser.parse_known_args(sys.argv[1:])[0].store


st.set_page_config(page_title="Eventline", layout="wide")
st.title("Eventline")
store = store_path()
events = st.cache_data(load_events)(store)
articles = st.cache_data(load_articles)(store)
if articles.empty:
    st.info(f"No articles in the store at {store} yet. Add some with `python -m pipeline ingest PATH --store {store}`.")
    st.stop()

left, middle, right = st.columns(3)
left.metric("articles", len(articles))
middle.metric("events", len(events))
right.metric("publishers", articles["publisher"].replace("", None).nunique())

if events.empty:
    st.subheader("Articles per day")
    st.plotly_chart(articles_per_day_figure(articles), use_container_width=True)
else:
    st.subheader("Timeline")
    st.plotly_chart(timeline_figure(events), use_container_width=True)
    st.subheader("Events")
    st.dataframe(events.drop(columns=["day"]), use_container_width=True, hide_index=True)

st.subheader("Articles")
st.dataframe(articles, use_container_width=True, hide_index=True)
