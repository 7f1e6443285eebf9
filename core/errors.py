"""Domain errors. Each carries the AWS error code and the HTTP status it is answered with.

Services raise these; the doors turn them into their own error shapes. The AWS door prefers the
status a service's botocore model gives the code, so the numbers here are the defaults for the
REST door and for codes that a model does not list.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ServiceError(Exception):
    """Base of every error a client may see. `fields` are extra modeled members (e.g. `Reason`)."""

    code: ClassVar[str] = "InternalServerException"
    status: ClassVar[int] = 500

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code}: {self.message})"


class ClientError(ServiceError):
    """A fault of the request: 4xx."""

    code = "ValidationException"
    status = 400


class ValidationError(ClientError):
    """A member is missing, of the wrong type, out of range or not in its enum."""

    code = "ValidationException"


class SerializationError(ClientError):
    """The body is not the protocol's format (malformed JSON)."""

    code = "SerializationException"


class InvalidRequest(ClientError):
    code = "InvalidRequestException"


class TextSizeLimitExceeded(ClientError):
    code = "TextSizeLimitExceededException"


class BatchSizeLimitExceeded(ClientError):
    code = "BatchSizeLimitExceededException"


class UnsupportedLanguage(ClientError):
    code = "UnsupportedLanguageException"


class UnsupportedLanguagePair(ClientError):
    code = "UnsupportedLanguagePairException"


class UnsupportedDisplayLanguageCode(ClientError):
    code = "UnsupportedDisplayLanguageCodeException"


class InvalidParameterValue(ClientError):
    code = "InvalidParameterValueException"


class ResourceNotFound(ClientError):
    code = "ResourceNotFoundException"
    status = 404


class ResourceAlreadyExists(ClientError):
    code = "ResourceAlreadyExistsException"
    status = 409


class ResourceInUse(ClientError):
    code = "ResourceInUseException"
    status = 409


class ResourceUnavailable(ClientError):
    """The resource exists but cannot serve yet (a classifier still training)."""

    code = "ResourceUnavailableException"
    status = 404


class JobNotFound(ClientError):
    code = "JobNotFoundException"
    status = 404


class TooManyRequests(ClientError):
    code = "TooManyRequestsException"
    status = 429


class InvalidParameter(ClientError):
    """Rekognition's, Textract's and Polly's word for a member with a value the operation cannot use."""

    code = "InvalidParameterException"


class InvalidInput(ClientError):
    """Personalize's word for a bad member value."""

    code = "InvalidInputException"


class BadRequest(ClientError):
    """Transcribe's word for a bad request."""

    code = "BadRequestException"


class NotFound(ClientError):
    """Transcribe's word for an unknown job, vocabulary or filter."""

    code = "NotFoundException"
    status = 404


class Conflict(ClientError):
    """A name already taken (Transcribe jobs and vocabularies, Kendra)."""

    code = "ConflictException"
    status = 409


class LimitExceeded(ClientError):
    code = "LimitExceededException"


class InvalidPaginationToken(ClientError):
    code = "InvalidPaginationTokenException"


class InvalidNextToken(ClientError):
    code = "InvalidNextTokenException"


class InvalidS3Object(ClientError):
    """An S3Object (or a local path in its place) that cannot be read."""

    code = "InvalidS3ObjectException"


class ImageTooLarge(ClientError):
    code = "ImageTooLargeException"


class InvalidImageFormat(ClientError):
    code = "InvalidImageFormatException"


class VideoTooLarge(ClientError):
    code = "VideoTooLargeException"


class UnsupportedDocument(ClientError):
    code = "UnsupportedDocumentException"


class DocumentTooLarge(ClientError):
    code = "DocumentTooLargeException"


class BadDocument(ClientError):
    code = "BadDocumentException"


class InvalidJobId(ClientError):
    code = "InvalidJobIdException"


class InvalidSsml(ClientError):
    code = "InvalidSsmlException"


class TextLengthExceeded(ClientError):
    code = "TextLengthExceededException"


class LexiconNotFound(ClientError):
    code = "LexiconNotFoundException"
    status = 404


class InvalidLexicon(ClientError):
    code = "InvalidLexiconException"


class SynthesisTaskNotFound(ClientError):
    code = "SynthesisTaskNotFoundException"


class AccessDenied(ClientError):
    """Kendra's answer to a caller outside a document's access control list, among others."""

    code = "AccessDeniedException"
    status = 403


class ServiceQuotaExceeded(ClientError):
    code = "ServiceQuotaExceededException"


class UnknownOperation(ClientError):
    """The request names an operation that the service's AWS model does not have."""

    code = "UnknownOperationException"


class UnsupportedOperation(ClientError):
    """The AWS model has the operation, but this gateway does not serve it (yet)."""

    code = "UnsupportedOperationException"
    status = 400


class RequestTooLarge(ClientError):
    code = "RequestEntityTooLargeException"
    status = 413


class Throttling(ClientError):
    code = "ThrottlingException"
    status = 429


class AuthError(ClientError):
    status = 403


class MissingAuthenticationToken(AuthError):
    code = "MissingAuthenticationTokenException"


class UnrecognizedClient(AuthError):
    code = "UnrecognizedClientException"


class InvalidSignature(AuthError):
    code = "InvalidSignatureException"


class IncompleteSignature(AuthError):
    code = "IncompleteSignatureException"
    status = 400


class ModelUnavailable(ServiceError):
    """The weights a capability needs are not installed, or not where settings say."""

    code = "ServiceUnavailableException"
    status = 503


class InternalServerError(ServiceError):
    code = "InternalServerException"
    status = 500


# Amazon Polly's own codes.
class InvalidSampleRate(ClientError):
    code = "InvalidSampleRateException"


class EngineNotSupported(ClientError):
    code = "EngineNotSupportedException"


class MarksNotSupportedForFormat(ClientError):
    code = "MarksNotSupportedForFormatException"


class SsmlMarksNotSupportedForTextType(ClientError):
    code = "SsmlMarksNotSupportedForTextTypeException"


class LanguageNotSupported(ClientError):
    code = "LanguageNotSupportedException"


class UnsupportedPlsAlphabet(ClientError):
    code = "UnsupportedPlsAlphabetException"


class UnsupportedPlsLanguage(ClientError):
    code = "UnsupportedPlsLanguageException"


class LexiconSizeExceeded(ClientError):
    code = "LexiconSizeExceededException"


class MaxLexiconsNumberExceeded(ClientError):
    code = "MaxLexiconsNumberExceededException"


class InvalidTaskId(ClientError):
    code = "InvalidTaskIdException"


class InvalidS3Bucket(ClientError):
    """Polly's word for an output bucket (or a local folder in its place) that cannot be written."""

    code = "InvalidS3BucketException"
