# Eventline's dashboard on the demo store: docker build -t eventline . && docker run -p 8501:8501 eventline
# The steps are the Makefile's (setup, demo-store, run); tests/test_project.py checks that they stay so.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# make setup
COPY requirements.txt ./
RUN python -m pip install --quiet --require-hashes -r requirements.txt

# make demo-store
COPY pipeline/ pipeline/
COPY dashboard/ dashboard/
COPY data/ data/
COPY pyproject.toml ./
RUN python -m pipeline ingest data/demo --store data/store

# make run
EXPOSE 8501
CMD ["python", "-m", "pipeline", "app", "--store", "data/store", "--port", "8501"]
