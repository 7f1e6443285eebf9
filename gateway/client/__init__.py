"""The Python SDK: `Client` (sync) and `AsyncClient` (async) over the gateway's REST door.

    from gateway.client import Client
    with Client("http://127.0.0.1:8080") as client:
        result = client.comprehend.detect_sentiment("I love it", language_code="en")
        print(result.Sentiment, result.SentimentScore.Positive)

Failures raise the same exception classes as in-process calls (`core.errors`), carrying the AWS
error code (`.code`), the HTTP status (`.status`) and the request id (`.request_id`).
"""

from core.errors import ClientError, ServiceError
from gateway.client._client import AsyncClient, Client, ServiceClient
from gateway.client._errors import TransportError

__all__ = ["Client", "AsyncClient", "ServiceClient", "ServiceError", "ClientError", "TransportError"]
