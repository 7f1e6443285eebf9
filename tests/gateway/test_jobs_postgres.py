"""Batch job records in PostgreSQL (`jobs.database_url`): a real server (pgserver's bundled binaries)
started for the session; the same engine behaviour as on SQLite, and two gateways sharing the records."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from core.errors import InvalidRequest
from core.settings import Settings
from gateway.catalog import ServiceCatalog
from gateway.jobs import JobEngine
from gateway.jobs.databases import open_database
from nlp import Comprehend, Translate
from tests.gateway.test_jobs import CountingComprehend, manifest, write_folder


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[str]:
    pgserver = pytest.importorskip("pgserver")
    # Not under pytest's temp tree: as root, pgserver runs PostgreSQL as its own user, who cannot
    # enter pytest's root-only folders. It takes ownership of a fresh folder of its own.
    pgdata = tempfile.mkdtemp(prefix="aigw-pgdata-")
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    yield server.get_uri()
    server.cleanup()
    shutil.rmtree(pgdata, ignore_errors=True)


@pytest.fixture
def database_url(postgres_server: str) -> str:
    """A database of its own per test, on the session's server."""
    name = f"jobs_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return postgres_server.replace("/postgres?", f"/{name}?")


def engine_on(database_url: str, data_dir: Path, service: Comprehend | None = None) -> JobEngine:
    settings = Settings(data_dir=data_dir, jobs={"database_url": database_url})
    return JobEngine(settings, ServiceCatalog([service or Comprehend(), Translate()]))


def test_records_in_postgres_survive_a_restart_without_repeats_or_losses(tmp_path: Path, database_url: str) -> None:
    source = write_folder(tmp_path / "in", 120)
    first = CountingComprehend(delay=0.002, signal_after=40)
    engine = engine_on(database_url, tmp_path / "data", first)
    job_id = engine.start("comprehend.DetectDominantLanguage", str(source), str(tmp_path / "out"),
                          client_token="nightly").job_id
    assert first.reached.wait(30)
    engine.close()  # the "crash"
    assert engine.get(job_id).state == "RUNNING"
    assert not (tmp_path / "data" / "jobs").exists(), "records went to SQLite, not PostgreSQL"

    second = CountingComprehend()
    restarted = engine_on(database_url, tmp_path / "data", second)
    try:
        assert restarted.resume() == 1
        job = restarted.wait(job_id, timeout=60)
        assert (job.state, job.done, job.failed, job.total) == ("COMPLETED", 120, 0, 120)
        both = first.calls + second.calls
        assert len(both) == 120 and set(both.values()) == {1}, "an object was processed twice or never"
        assert len(manifest(tmp_path / "out")) == 120
        # The client token is kept in the shared table: a retry gets the same job back.
        again = restarted.start("comprehend.DetectDominantLanguage", str(source), str(tmp_path / "out"),
                                client_token="nightly")
        assert again.job_id == job_id
    finally:
        restarted.close()


def test_two_gateways_on_one_database_see_the_same_jobs(tmp_path: Path, database_url: str) -> None:
    source = write_folder(tmp_path / "in", 8)
    one = engine_on(database_url, tmp_path / "one")
    other = engine_on(database_url, tmp_path / "other")
    try:
        job = one.wait(one.start("comprehend.DetectDominantLanguage", str(source), str(tmp_path / "out")).job_id, 30)
        seen = other.get(job.job_id)
        assert (seen.state, seen.done, seen.total) == ("COMPLETED", 8, 8)
        assert job.job_id in [j.job_id for j in other.list().jobs]
        row = manifest(tmp_path / "out")[3]
        assert row["status"] == "SUCCEEDED" and row["key"].endswith(".txt")
    finally:
        one.close()
        other.close()


def test_only_postgres_urls_are_taken(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest, match="postgresql://"):
        open_database("mysql://db/jobs", tmp_path / "jobs.sqlite3")
