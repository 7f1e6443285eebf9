"""Server-side verification of AWS Signature Version 4 (the `Authorization` header form).

boto3 signs every request to the AWS door with SigV4. Rather than reimplement the canonical
request, we rebuild the request as botocore saw it and let botocore's own `SigV4Auth` compute
the signature, so client and server share one definition of canonicalisation (path
double-encoding, query ordering, header trimming, payload hash).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from hashlib import sha256

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

from core.errors import (
    IncompleteSignature,
    InvalidSignature,
    MissingAuthenticationToken,
    UnrecognizedClient,
)

__all__ = ["SigV4Identity", "verify_sigv4"]

ALGORITHM = "AWS4-HMAC-SHA256"

_SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
_AMZ_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z")


@dataclass(frozen=True, slots=True)
class SigV4Identity:
    """Who signed the request, and for which region and service (the credential scope)."""

    access_key_id: str
    region: str
    service: str


class _SignedHeadersOnlySigV4Auth(SigV4Auth):
    """`SigV4Auth` that canonicalises exactly the headers the client listed in SignedHeaders.

    botocore drops a fixed set of headers (User-Agent among them) when *choosing* what to sign.
    That choice is the client's: other SDKs (the Java v1 SDK signs User-Agent) pick differently,
    and we already pass in only the listed headers, under the lower-case names SignedHeaders
    uses, so the filter could only break them.
    """

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        return request.headers


def verify_sigv4(
    *,
    method: str,
    path: str,
    query_string: str,
    headers: Mapping[str, str],
    body: bytes,
    credentials: Mapping[str, str],
    now: datetime | None = None,
    max_skew: timedelta = timedelta(minutes=5),
) -> SigV4Identity:
    """Check a request's SigV4 `Authorization` header; return the signer or raise an AuthError.

    `path` and `query_string` are raw, as received (percent-encoding kept), because that is what
    the client signed. `headers` may be any mapping with any case; a mapping whose `items()`
    repeats a name (Starlette's `Headers`) has the values joined as SigV4 requires.
    `credentials` maps access key id to secret. `now` (default: the clock) must be aware or UTC.
    """
    # Lower-case once; keep every value so that repeated headers canonicalise correctly.
    received: dict[str, list[str]] = {}
    for name, value in headers.items():
        received.setdefault(name.lower(), []).append(value)

    authorization = received.get("authorization")
    if not authorization:
        raise MissingAuthenticationToken("Request is missing Authentication Token")
    auth = _parse_authorization(authorization[0])
    access_key, scope_date, region, service = auth.scope

    timestamp, signed_at = _request_timestamp(received, authorization[0])

    secret = credentials.get(access_key)
    if secret is None:
        raise UnrecognizedClient("The security token included in the request is invalid.")

    # botocore derives the scope date from the timestamp, so a differing scope date would only
    # surface as a mismatch; AWS names the cause, and so do we.
    if scope_date != timestamp[:8]:
        raise InvalidSignature(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{scope_date}' != '{timestamp[:8]}', from '{timestamp}'."
        )
    _check_skew(timestamp, signed_at, now, max_skew)

    to_sign = HTTPHeaders()
    for name in auth.signed_headers:
        values = received.get(name)
        if values is None:
            raise InvalidSignature(_SIGNATURE_MISMATCH)
        for value in values:
            # HTTPHeaders (an email Message) appends on assignment: repeats are kept.
            to_sign[name] = value

    # Given this header, botocore trusts it as the payload hash instead of hashing the body,
    # so a client could sign one body and send another; hold it to the body actually received.
    # (This also refuses UNSIGNED-PAYLOAD and streaming payloads, which these services never use.)
    declared_hash = to_sign.get("x-amz-content-sha256")
    if declared_hash is not None and declared_hash != sha256(body).hexdigest():
        raise InvalidSignature(
            "The provided 'x-amz-content-sha256' header does not match what was computed."
        )

    # The raw path goes in as received: botocore removes dot segments and percent-encodes it
    # again on both sides, which is what AWS does for every service but S3. The http:// scheme
    # makes botocore always hash the payload (over https it may take the unsigned shortcut).
    url = f"http://{to_sign['host']}{path}"
    if query_string:
        url = f"{url}?{query_string}"
    request = AWSRequest(method=method, url=url, data=body)
    request.headers = to_sign
    request.context["timestamp"] = timestamp

    signer = _SignedHeadersOnlySigV4Auth(Credentials(access_key, secret), service, region)
    # Not add_auth: it would stamp the current time over the client's timestamp.
    string_to_sign = signer.string_to_sign(request, signer.canonical_request(request))
    expected = signer.signature(string_to_sign, request)
    # Bytes, because compare_digest rejects non-ASCII str, and a header may carry anything.
    if not hmac.compare_digest(expected.encode(), auth.signature.encode("utf-8", "replace")):
        raise InvalidSignature(_SIGNATURE_MISMATCH)
    return SigV4Identity(access_key, region, service)


@dataclass(frozen=True, slots=True)
class _Authorization:
    scope: tuple[str, str, str, str]  # access key id, date, region, service
    signed_headers: tuple[str, ...]
    signature: str


def _parse_authorization(header: str) -> _Authorization:
    """Split `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.

    Spacing around commas and equal signs varies between SDKs, so it is ignored.
    """
    algorithm, _, rest = header.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise IncompleteSignature(
            f"Unsupported authorization algorithm '{algorithm}'; expected '{ALGORITHM}'. "
            f"Authorization={header}"
        )
    params: dict[str, str] = {}
    for part in rest.split(","):
        key, eq, value = part.partition("=")
        if not eq:
            raise IncompleteSignature(
                f"'{part.strip()}' not a valid key=value pair (missing equal-sign) in "
                f"Authorization header: '{header}'."
            )
        params[key.strip()] = value.strip()

    missing = [k for k in ("Credential", "Signature", "SignedHeaders") if not params.get(k)]
    if missing:
        required = " ".join(f"Authorization header requires '{k}' parameter." for k in missing)
        raise IncompleteSignature(f"{required} Authorization={header}")

    credential = params["Credential"].split("/")
    if len(credential) != 5 or not all(credential):
        raise IncompleteSignature(
            "Credential should be of the form "
            f"<AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request, got "
            f"'{params['Credential']}'."
        )
    access_key, date, region, service, terminator = credential
    if terminator != "aws4_request":
        raise IncompleteSignature(
            f"Credential should be scoped with a valid terminator: 'aws4_request', not "
            f"'{terminator}'."
        )
    signed_headers = tuple(params["SignedHeaders"].split(";"))
    # AWS refuses signatures that do not cover Host: they could be replayed to another endpoint.
    if "host" not in signed_headers:
        raise IncompleteSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.")
    return _Authorization(
        scope=(access_key, date, region, service),
        signed_headers=signed_headers,
        signature=params["Signature"],
    )


def _request_timestamp(
    received: Mapping[str, list[str]], authorization: str
) -> tuple[str, datetime]:
    """The signing time, as SigV4's basic ISO-8601 string and as a UTC datetime.

    X-Amz-Date wins; the HTTP Date header is the fallback SigV4 allows.
    """
    amz_date = received.get("x-amz-date")
    if amz_date:
        timestamp = amz_date[0]
        malformed = IncompleteSignature(
            f"Date must be in ISO-8601 'basic format'. Got '{timestamp}'."
        )
        # A regex and int() rather than strptime, which is slow and accepts unpadded fields.
        fields = _AMZ_DATE.fullmatch(timestamp)
        if fields is None:
            raise malformed
        try:
            signed_at = datetime(*map(int, fields.groups()), tzinfo=timezone.utc)
        except ValueError:  # The right digits, but no such date or time (month 13).
            raise malformed from None
        return timestamp, signed_at
    http_date = received.get("date")
    if http_date:
        try:
            signed_at = parsedate_to_datetime(http_date[0])
        except (TypeError, ValueError):
            raise IncompleteSignature(
                f"Date must be an RFC 7231 HTTP-date. Got '{http_date[0]}'."
            ) from None
        if signed_at.tzinfo is None:  # "-0000" means UTC with no zone stated.
            signed_at = signed_at.replace(tzinfo=timezone.utc)
        signed_at = signed_at.astimezone(timezone.utc)
        return signed_at.strftime(SIGV4_TIMESTAMP), signed_at
    raise IncompleteSignature(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        f"Authorization={authorization}"
    )


def _check_skew(
    timestamp: str, signed_at: datetime, now: datetime | None, max_skew: timedelta
) -> None:
    """Reject a signature made more than `max_skew` before or after `now`, with AWS's wording."""
    if now is None:
        now = datetime.now(timezone.utc)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    minutes = f"{max_skew.total_seconds() / 60:g} min."
    if signed_at < now - max_skew:
        raise InvalidSignature(
            f"Signature expired: {timestamp} is now earlier than "
            f"{_basic(now - max_skew)} ({_basic(now)} - {minutes})"
        )
    if signed_at > now + max_skew:
        raise InvalidSignature(
            f"Signature not yet current: {timestamp} is still later than "
            f"{_basic(now + max_skew)} ({_basic(now)} + {minutes})"
        )


def _basic(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(SIGV4_TIMESTAMP)
