"""Local files that jobs may touch: only those inside settings.jobs.local_roots, checked after `..` and
links are resolved, so that a caller cannot reach the server's other files. The one rule of the
gateway's batch jobs (gateway/jobs/folders.py), its AWS job adapters and Kendra's folder sources."""

from __future__ import annotations

from pathlib import Path


def is_inside(path: str | Path, roots: list[Path]) -> bool:
    resolved = Path(path).expanduser().resolve()
    return any(resolved.is_relative_to(Path(root).expanduser().resolve()) for root in roots)
