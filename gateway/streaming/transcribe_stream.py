"""The streaming door of Transcribe: a WebSocket at `/v1/transcribe/stream`.

Query: `language-code` (a Transcribe code; omit it to identify the language per utterance),
`sample-rate` (8000 to 48000, default 16000), `model` (as ModelSettings.LanguageModelName).
The client sends binary messages of signed 16-bit little-endian mono PCM, then the text message
`{"type": "end"}` (or closes); the server sends JSON `TranscriptEvent`s, partial and final, as AWS's
streaming API does, and closes after the last final result. AWS's own HTTP/2 event-stream protocol
is not served. Errors are sent as `{"type": "error", "code", "message"}` before closing.

With auth on, the client sends `Authorization: Bearer <key>` as on the REST door. PII redaction works
as on the doors: the settings' routes (`transcribe.StartStreamTranscription`) or the handshake's
`X-Pii-Redaction` headers redact each event's transcript and items before it is sent.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers

from core.errors import BadRequest, ServiceError
from core.model_registry import ModelRegistry
from core.settings import Settings
from core.text_fields import TextFields
from gateway.middleware.pii_policy import Policy
from gateway.middleware.pii_redaction import PiiRedaction
from gateway.rest.auth import api_key_dependency
from speech.transcribe.languages import to_whisper
from speech.transcribe.models import speech_engine
from speech.transcribe.streaming import StreamingSession

MAX_MESSAGE_BYTES = 1 << 20  # one message of PCM: about 30 s at 16 kHz


class _EventMember(BaseModel):
    # A TranscriptEvent typed down to its texts; its other members pass through as they are.
    model_config = ConfigDict(extra="allow")


class _Item(_EventMember):
    Content: str


class _Alternative(_EventMember):
    Transcript: str
    Items: list[_Item]


class _Result(_EventMember):
    Alternatives: list[_Alternative]


class _Results(_EventMember):
    Results: list[_Result]


class TranscriptEvent(_EventMember):
    Transcript: _Results


class _NoRequest(BaseModel):
    pass


EVENT_TEXTS = TextFields(response=("Transcript.Results[*].Alternatives[*].Transcript",
                                   "Transcript.Results[*].Alternatives[*].Items[*].Content"))
EVENT_TEXTS.check(_NoRequest, TranscriptEvent)
OPERATION = "StartStreamTranscription"  # AWS's name of the streaming operation, for the settings' routes


def _redacted(pii: PiiRedaction, policy: Policy | None, event: dict[str, Any]) -> dict[str, Any]:
    if policy is None:
        return event
    model = TranscriptEvent.model_validate(event)
    redacted, _ = pii.redactor.run(EVENT_TEXTS, _NoRequest(), policy, lambda _: model)
    return redacted.model_dump()


def _session(models: ModelRegistry, params: Any) -> StreamingSession:
    try:
        rate = int(params.get("sample-rate", 16000))
    except ValueError:
        raise BadRequest("sample-rate must be a whole number of hertz.") from None
    if not 8000 <= rate <= 48000:
        raise BadRequest("sample-rate must be between 8000 and 48000.")
    engine = speech_engine(models, params.get("model"))
    code = params.get("language-code")
    return StreamingSession(engine, to_whisper(code, engine.languages) if code else None, rate)


def transcribe_stream_endpoint(settings: Settings, models: ModelRegistry, pii: PiiRedaction):
    check_key = api_key_dependency(settings) if settings.auth_enabled else None

    async def transcribe_stream(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            if check_key:
                check_key(websocket)  # reads only the headers, which a WebSocket has too
            policy = pii.policies.for_request(Headers(scope=websocket.scope), "transcribe", OPERATION)
            session = await run_in_threadpool(_session, models, websocket.query_params)

            def events(step: Any, *args: Any) -> list[dict[str, Any]]:
                return [_redacted(pii, policy, event) for event in step(*args)]
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                data = message.get("bytes")
                if data is None:
                    if json.loads(message.get("text") or "{}").get("type") == "end":
                        break
                    continue
                if len(data) > MAX_MESSAGE_BYTES:
                    raise BadRequest(f"A message holds at most {MAX_MESSAGE_BYTES} bytes of audio.")
                for event in await run_in_threadpool(events, session.feed, data):
                    await websocket.send_json(event)
            for event in await run_in_threadpool(events, session.finish):
                await websocket.send_json(event)
            await websocket.close()
        except ServiceError as exc:
            await websocket.send_json({"type": "error", "code": exc.code, "message": exc.message})
            await websocket.close(code=1008 if exc.status < 500 else 1011)
        except json.JSONDecodeError:
            await websocket.close(code=1003)
        except WebSocketDisconnect:
            return

    return transcribe_stream
