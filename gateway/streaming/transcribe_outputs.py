"""The files Transcribe jobs keep in the gateway (no OutputBucketName given): the
`TranscriptFileUri` and `SubtitleFileUris` of such jobs point here."""

from __future__ import annotations

from fastapi.responses import FileResponse

from core.errors import NotFound
from gateway.catalog import ServiceCatalog

MEDIA_TYPES = {".json": "application/json", ".srt": "application/x-subrip", ".vtt": "text/vtt"}


def transcribe_outputs_endpoint(catalog: ServiceCatalog):
    def transcribe_output(job_name: str, file_name: str) -> FileResponse:
        service = catalog.get("transcribe")
        if service is None:
            raise NotFound("Transcribe is not served by this gateway.")
        path = service.output_file(job_name, file_name)
        return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"))

    return transcribe_output
