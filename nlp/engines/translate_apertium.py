"""Rule-based machine translation with Apertium (Debian's `apertium` and its `apertium-<pair>` data packages).

Apertium is GPL-3.0: we run it as a separate program and never link it, so this project's licence
is unaffected. Its pairs are the installed modes (`<data>/modes/spa-eng.mode` translates es->en);
install more with `apt-get install apertium-<pair>`. A mode is a shell pipeline of about ten
programs, and starting one costs ~0.4 s, so each direction keeps one pipeline running in null-flush
mode (`-z`): a segment ending in NUL comes back translated and ending in NUL, every segment
translated on its own, and all segments of a call are written in one go. We run the pipeline that
`apertium-wblank-mode -z` writes for the mode, not the `apertium` script: the script's gawk
wrappers hold output back until more input comes, which deadlocks a process kept open.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import subprocess
import threading
from pathlib import Path

from core.errors import InternalServerError, ModelUnavailable
from core.model_registry import EngineSpec

CAPABILITY = "translate_apertium"
DATA_DIR = Path("/usr/share/apertium")

# Apertium names newer pairs by ISO 639-3 codes (spa-eng), older ones by ISO 639-1 (fr-es); Amazon
# Translate uses 639-1. A code missing here is served as it is (ListLanguages shows it under its code).
_ISO_639_1 = {
    "afr": "af", "arg": "an", "bel": "be", "bul": "bg", "cat": "ca", "dan": "da", "eng": "en", "epo": "eo",
    "eus": "eu", "fra": "fr", "glg": "gl", "hin": "hi", "ind": "id", "isl": "is", "ita": "it", "mkd": "mk",
    "nld": "nl", "nno": "nn", "nob": "no", "oci": "oc", "pol": "pl", "por": "pt", "ron": "ro", "rus": "ru",
    "slv": "sl", "spa": "es", "srd": "sc", "swe": "sv", "ukr": "uk", "urd": "ur", "zlm": "ms",
}
# A plain direction is `src-trg`; variants (`spa-eng_US`, `eco-fr-es`) and debug modes are left out.
_MODE = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})$")
# Characters of Apertium's stream format, escaped with a backslash on the way in (as apertium-destxt does).
_STREAM_SPECIAL = re.compile(r"([\\\[\]^$/@<>{}])")
# The pipeline drops a bare `~`; inside a superblank `[...]` any text passes through untouched.
_TILDE = re.compile("~")
# On the way out: an escaped character, or a superblank whose content is the text it kept.
_STREAM_OUT = re.compile(r"\\(.)|\[((?:\\.|[^\]\\])*)\]", re.DOTALL)
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_NUL = b"\0"
_CARET_MASK = "\ue05e"
# A batch that has produced nothing for this long is stuck: the pipeline is killed, never waited on.
STALL_SECONDS = 30.0


def _code(name: str) -> str:
    return _ISO_639_1.get(name, name)


def _encode(segment: str) -> bytes:
    # A NUL inside a segment would end its record early and shift every later one. A caret near the
    # end of a record, escaped or not, stalls the 3.8 pipeline for good ("invalid operand of S^"):
    # it travels as a private-use character, which every stage passes through, and comes back.
    segment = segment.replace("\0", "").replace(_CARET_MASK, "").replace("^", _CARET_MASK)
    escaped = _TILDE.sub("[~]", _STREAM_SPECIAL.sub(r"\\\1", segment))
    # Without a blank after it, the last word waits for more input and a final "." is lost at the NUL.
    return f"{escaped} ".encode() + _NUL


def _decode(record: bytes) -> str:
    text = record.decode("utf-8", errors="replace")
    text = _STREAM_OUT.sub(lambda m: m[1] if m[1] is not None else _ESCAPED.sub(r"\1", m[2]), text)
    return text.removesuffix(" ").replace(_CARET_MASK, "^")


class _Pipeline:
    """One direction's pipeline, running in null-flush mode; calls take turns."""

    def __init__(self, mode: Path) -> None:
        self._mode = mode
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def translate(self, segments: list[str]) -> list[str]:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = self._start()
            process = self._process
            payload = b"".join(_encode(s) for s in segments)
            # Write from another thread: a long batch fills the pipes before we start reading.
            writer = threading.Thread(target=self._write, args=(process, payload), daemon=True)
            writer.start()
            records = self._read_records(process, len(segments))
            writer.join()
            return [_decode(r) for r in records]

    def _start(self) -> subprocess.Popen[bytes]:
        script = subprocess.run(["apertium-wblank-mode", "-z", str(self._mode)], capture_output=True,
                                text=True, check=True).stdout
        # The mode's $1 is lt-proc's generation flag (-n: unknown words unmarked, as `apertium -u`),
        # $2 the tagger's extra option (none).
        # A session of its own, so that close() can end the whole group of programs.
        return subprocess.Popen(["bash", "-c", script, self._mode.stem, "-n", ""], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)

    @staticmethod
    def _write(process: subprocess.Popen[bytes], payload: bytes) -> None:
        try:
            process.stdin.write(payload)
            process.stdin.flush()
        except BrokenPipeError:
            pass  # the reader sees the end of output and says so

    def _read_records(self, process: subprocess.Popen[bytes], count: int) -> list[bytes]:
        output = bytearray()
        while output.count(_NUL) < count:
            ready, _, _ = select.select([process.stdout], [], [], STALL_SECONDS)
            if not ready:
                self.close()
                raise InternalServerError(f"Apertium {self._mode.stem} stalled; it was restarted.")
            chunk = process.stdout.read1(1 << 16)
            if not chunk:
                self.close()
                raise InternalServerError(f"Apertium {self._mode.stem} stopped while translating.")
            output += chunk
        return bytes(output).split(_NUL)[:count]

    def close(self) -> None:
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.communicate()  # reaps bash and closes our ends of the pipes
            self._process = None


class ApertiumTranslator:
    def __init__(self, data_dir: Path) -> None:
        if shutil.which("apertium-wblank-mode") is None:
            raise ModelUnavailable("Apertium 3.8 or newer is not installed (apt-get install apertium).")
        pipelines = {}
        for mode in sorted((data_dir / "modes").glob("*.mode")):
            if match := _MODE.match(mode.stem):
                pair = (_code(match[1]), _code(match[2]))
                pipelines.setdefault(pair, _Pipeline(mode))
        if not pipelines:
            raise ModelUnavailable(f"No Apertium language pair is installed under {data_dir / 'modes'}.")
        self._pipelines = pipelines
        self.pairs = frozenset(pipelines)

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        return self._pipelines[(source, target)].translate(segments)

    def close(self) -> None:
        for pipeline in self._pipelines.values():
            pipeline.close()


def _installed() -> Path | None:
    return DATA_DIR if shutil.which("apertium-wblank-mode") and (DATA_DIR / "modes").is_dir() else None


SPEC = EngineSpec(
    capability=CAPABILITY,
    engine="apertium",
    model="Apertium rule-based pairs installed from Debian (apertium-eng-spa, apertium-fr-es, ...)",
    licence="GPL-3.0 (run as a separate program, not linked)",
    package="Debian apertium + apertium-<pair>",
    locate=_installed,
    load=ApertiumTranslator,
    # Not installed is a normal state: readiness does not wait for it and no error is raised.
    optional=True,
)
