"""The `aigw` command as a user runs it: a real process, in process and against a gateway."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

AIGW = shutil.which("aigw") or str(__import__("pathlib").Path(sys.executable).parent / "aigw")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AIGW, *args], capture_output=True, text=True, timeout=120)


def test_operation_in_process() -> None:
    result = run("comprehend", "detect-sentiment", "I love it")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["Sentiment"] == "POSITIVE"
    assert set(body["SentimentScore"]) == {"Positive", "Negative", "Neutral", "Mixed"}


def test_batch_operation_takes_several_texts() -> None:
    result = run("comprehend", "batch-detect-dominant-language", "Good evening everyone", "Buenas noches a todos")
    assert result.returncode == 0, result.stderr
    codes = [r["Languages"][0]["LanguageCode"] for r in json.loads(result.stdout)["ResultList"]]
    assert codes == ["en", "es"]


def test_operation_against_a_gateway(gateway) -> None:
    result = run("--endpoint", gateway.url, "comprehend", "detect-dominant-language", "Das ist ein deutscher Satz.")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["Languages"][0]["LanguageCode"] == "de"


def test_errors_print_the_aws_code_and_exit_non_zero() -> None:
    result = run("comprehend", "detect-sentiment", "Sehr gut", "--language-code", "de")
    assert result.returncode == 1
    assert json.loads(result.stderr)["__type"] == "UnsupportedLanguageException"


@pytest.mark.parametrize("flag", [[], ["--json"]])
def test_models_list(flag: list[str]) -> None:
    result = run("models", "list", *flag)
    assert result.returncode == 0, result.stderr
    if flag:
        engines = {m["engine"]: m for m in json.loads(result.stdout)}
        assert engines["fasttext-lid"]["installed"] and engines["fasttext-lid"]["size_bytes"] > 500_000
        assert engines["vader"]["licence"] == "MIT"
    else:
        assert "fasttext-lid" in result.stdout and "CC-BY-SA-3.0" in result.stdout
