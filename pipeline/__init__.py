"""Eventline: turn news articles into a dated, evidenced timeline of geopolitical events."""

__version__ = "0.1.0"
