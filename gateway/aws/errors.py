"""Domain errors as AWS answers them, so that botocore raises a ClientError with the right code.

json clients read the code from the body's `__type`, rest-json clients from `x-amzn-ErrorType`:
both are always sent.
"""

from __future__ import annotations

from botocore.model import ServiceModel

from core.errors import ServiceError
from gateway.aws.json_protocol import dump_json, encode_members


def serialize_error(
    error: ServiceError, service_model: ServiceModel | None, request_id: str
) -> tuple[int, dict[str, str], bytes]:
    shape = service_model.shape_for_error_code(error.code) if service_model is not None else None
    body: dict[str, object] = {"__type": error.code}
    status = error.status
    if shape is None:
        # No model to filter by (the REST door, or a code the service does not model): send the
        # error's own members as they are.
        body.update(error.fields)
    else:
        body.update(encode_members(shape.members, error.fields))
        # Some error shapes model `Message`; botocore then reads it into the exception's fields.
        if "Message" in shape.members:
            body["Message"] = error.message
        status = shape.metadata.get("error", {}).get("httpStatusCode", status)
    body["message"] = error.message
    headers = {
        "x-amzn-ErrorType": error.code,
        "x-amzn-RequestId": request_id,
        "Content-Type": "application/x-amz-json-1.1",
    }
    return status, headers, dump_json(body)
