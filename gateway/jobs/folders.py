"""Which local folders a job may read and write: those under settings.jobs.local_roots (S3 access is
the S3 credentials' business). Checked for every job a client starts, natively or through an AWS
operation, so that no door is a way into the server's other files."""

from __future__ import annotations

from pathlib import Path

from core.errors import ClientError
from core.local_roots import is_inside
from core.storage import parse


class FolderNotAllowed(ClientError):
    code = "AccessDeniedException"
    status = 403


def check_folders(roots: list[Path], *uris: str) -> None:
    """A client over HTTP must not make the gateway read or write any folder it can reach: local
    inputs and outputs must lie under a configured root (S3 access is the S3 credentials' business)."""
    for uri in uris:
        location = parse(uri)
        if location.scheme == "file" and not is_inside(location.key, roots):
            raise FolderNotAllowed(f"{location} is not under a folder open to jobs; "
                                   "list it in AIGW_JOBS__LOCAL_ROOTS, or use s3://.")
