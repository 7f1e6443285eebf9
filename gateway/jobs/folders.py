"""Which local folders a job may read and write: those under settings.jobs.local_roots (S3 access is
the S3 credentials' business). Checked for every job a client starts, natively or through an AWS
operation, so that no door is a way into the server's other files."""

from __future__ import annotations

from pathlib import Path

from core.errors import ClientError
from core.storage import parse


class FolderNotAllowed(ClientError):
    code = "AccessDeniedException"
    status = 403


def check_folders(roots: list[Path], *uris: str) -> None:
    """A client over HTTP must not make the gateway read or write any folder it can reach: local
    inputs and outputs must lie under a configured root (S3 access is the S3 credentials' business)."""
    allowed = [root.resolve() for root in roots]
    for uri in uris:
        location = parse(uri)  # resolves the path, so `..` and symlinks cannot climb out of a root
        if location.scheme == "file" and not any(Path(location.key).is_relative_to(r) for r in allowed):
            raise FolderNotAllowed(f"{location} is not under a folder open to jobs; "
                                   "list it in AIGW_JOBS__LOCAL_ROOTS, or use s3://.")
