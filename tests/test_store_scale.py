"""Ingest at scale: local worker processes and a Dask LocalCluster give exactly the single-process store."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from store_helpers import contents

from pipeline.ingest import read_articles
from pipeline.parallel import extracted
from pipeline.records import Article
from pipeline.store import ingest_articles, open_store

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MERGE_ARTICLES = TESTS / "fixtures" / "merge" / "articles"


def corpus() -> list[Article]:
    """Return a dozen articles of the merge corpus (several outlets reporting the same acts)."""
    return [a for a in read_articles(sorted(MERGE_ARTICLES.glob("*.txt"))[:12]) if isinstance(a, Article)]


@pytest.fixture(scope="module")
def single_process(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a store ingested in this process, one article per commit."""
    store = tmp_path_factory.mktemp("single")
    ingest_articles(corpus(), store, extracted, batch_articles=1)
    return store


@pytest.mark.slow
def test_store_local_workers_give_the_single_process_store(single_process: Path, tmp_path: Path) -> None:
    ingest_articles(corpus(), tmp_path, lambda articles: extracted(articles, workers=2))
    assert open_store(tmp_path).summary().mentions > 20
    assert contents(tmp_path) == contents(single_process)


@pytest.mark.slow
def test_store_dask_cluster_gives_the_single_process_store(single_process: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", processes=True, dashboard_address=None) as cluster:
        ingest_articles(corpus(), tmp_path, lambda articles: extracted(articles, scheduler=cluster.scheduler_address))
    assert contents(tmp_path) == contents(single_process)


@pytest.mark.slow
def test_store_dask_workers_get_the_clients_actor_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    actors = tmp_path / "mine.yaml"
    actors.write_text("- id: zorvex_union\n  name: Zorvex Union\n  kind: organisation\n  aliases: [Zorvex League]\n", encoding="utf-8")
    article = Article("a1", "t", "The Zorvex League warned Russia on Monday.", date(2023, 3, 1), "user")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1", processes=True, dashboard_address=None) as cluster:
        monkeypatch.setenv("EVENTLINE_ACTORS", str(actors))  # the client's setting: the worker process started without it
        [result] = list(extracted([article], scheduler=cluster.scheduler_address))
    assert [e.source_actor for e in result.events] == ["Zorvex Union"]


def test_store_dask_unreachable_scheduler_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closed_port: int) -> None:
    monkeypatch.setattr("pipeline.parallel.DASK_CONNECT_TIMEOUT", "1s")
    scheduler = f"tcp://127.0.0.1:{closed_port}"
    with pytest.raises(ConnectionError, match=f"cannot reach the Dask scheduler at {re.escape(scheduler)}"):
        ingest_articles(corpus()[:1], tmp_path, lambda articles: extracted(articles, scheduler=scheduler))
