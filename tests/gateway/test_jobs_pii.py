"""PII redaction of batch job outputs: asked per job (engine, SDK, CLI) and enforced by the settings'
routes, through the same policy rule and redactor as the doors."""

from __future__ import annotations

import json
import os
from base64 import b64decode
import subprocess
from pathlib import Path

import pytest

from core.errors import InvalidRequest, ValidationError
from core.settings import Settings
from gateway.catalog import ServiceCatalog
from gateway.client import Client
from gateway.jobs import JobEngine
from gateway.jobs.models import PiiRedactionRequest
from nlp import Comprehend, Translate
from tests.gateway.test_cli import AIGW
from tests.gateway.test_pii_redaction import HTML, TEXT, leaked

OPERATION = "comprehend.DetectEntities"
PARAMETERS = {"LanguageCode": "en"}


def write_inputs(folder: Path, count: int = 3) -> Path:
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"{i}.txt").write_text(TEXT)
    return folder


def outputs(folder: Path) -> list[str]:
    return [path.read_text() for path in sorted(folder.glob("*.txt.json"))]


def run_job(tmp_path: Path, name: str, redaction: PiiRedactionRequest | None = None, **settings: object) -> list[str]:
    engine = JobEngine(Settings(data_dir=tmp_path / name / "data", **settings),
                       ServiceCatalog([Comprehend(), Translate()]))
    try:
        job = engine.start(OPERATION, str(write_inputs(tmp_path / name / "in")), str(tmp_path / name / "out"),
                           PARAMETERS, pii_redaction=redaction)
        job = engine.wait(job.job_id, timeout=120)
    finally:
        engine.close()
    assert (job.state, job.done) == ("COMPLETED", 3)
    return outputs(tmp_path / name / "out")


def test_outputs_carry_pii_only_without_redaction(tmp_path: Path) -> None:
    plain = run_job(tmp_path, "plain")
    assert {"Maria", "Garcia"} <= set(leaked(plain))
    redacted = run_job(tmp_path, "redacted", PiiRedactionRequest(types=["ALL"], mode="type"))
    assert leaked(redacted) == [] and "[NAME]" in redacted[0]


def test_routes_the_settings_enforce_apply_to_jobs(tmp_path: Path) -> None:
    enforced = run_job(tmp_path, "enforced", pii_redaction={"routes": ["comprehend.*"]})
    assert leaked(enforced) == []


def test_what_redaction_cannot_cover_fails_at_start(tmp_path: Path) -> None:
    engine = JobEngine(Settings(data_dir=tmp_path / "data"))
    source = write_inputs(tmp_path / "in")
    with pytest.raises(ValidationError, match="unknown PII entity types"):
        engine.start(OPERATION, str(source), str(tmp_path / "out"), PARAMETERS,
                     pii_redaction=PiiRedactionRequest(types=["SHOE_SIZE"]))
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    with pytest.raises(InvalidRequest, match="PII redaction covers"):
        engine.start("translate.TranslateDocument", str(source), str(tmp_path / "out"),
                     {"Document": {"ContentType": docx}, "SourceLanguageCode": "en", "TargetLanguageCode": "es"},
                     pii_redaction=PiiRedactionRequest())


def test_html_translation_job_is_redacted(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "page.html").write_text(HTML)
    engine = JobEngine(Settings(data_dir=tmp_path / "data"))
    try:
        job = engine.start("translate.TranslateDocument", str(source), str(tmp_path / "out"),
                           {"Document": {"ContentType": "text/html"}, "SourceLanguageCode": "en",
                            "TargetLanguageCode": "es"}, pii_redaction=PiiRedactionRequest())
        assert engine.wait(job.job_id, timeout=120).done == 1
    finally:
        engine.close()
    result = json.loads((tmp_path / "out" / "page.html.json").read_text())
    assert leaked([b64decode(result["TranslatedDocument"]["Content"]).decode()]) == []


def test_sdk_and_cli_ask_for_redaction(tmp_path: Path, start_gateway) -> None:
    source = write_inputs(tmp_path / "in")
    gateway = start_gateway(jobs={"local_roots": [tmp_path]})
    with Client(gateway.url) as client:
        job = client.jobs.start(OPERATION, str(source), str(tmp_path / "sdk"), PARAMETERS,
                                 pii_redaction={"types": ["NAME", "EMAIL", "PHONE"], "mode": "mask"})
        assert job.wait(timeout=120).done == 3
        assert job.pii_redaction.types == ["NAME", "EMAIL", "PHONE"]
    assert leaked(outputs(tmp_path / "sdk")) == []
    env = {**os.environ, "AIGW_DATA_DIR": str(tmp_path / "data")}
    cli = subprocess.run([AIGW, "batch", OPERATION, str(source), str(tmp_path / "cli"), "--param", "LanguageCode=en",
                          "--pii-redaction", "ALL", "--pii-redaction-mode", "mask"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["pii_redaction"]["mode"] == "mask"
    assert leaked(outputs(tmp_path / "cli")) == []
