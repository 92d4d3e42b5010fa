"""Eventline's Streamlit dashboard: figure builders and loaders as plain functions, the app on top."""
