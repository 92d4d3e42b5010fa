"""Eventline dashboard: ``streamlit run dashboard/app.py -- --store data/store`` (or set EVENTLINE_STORE)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.views import page  # noqa: E402


def store_path() -> Path:
    """Return the store folder: ``--store`` after ``--`` on the command line, else $EVENTLINE_STORE, else data/store."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=Path(os.environ.get("EVENTLINE_STORE") or ROOT / "data" / "store"))
    return parser.parse_known_args(sys.argv[1:])[0].store


st.set_page_config(page_title="Eventline", page_icon="🗞️", layout="wide")
page(store_path())
