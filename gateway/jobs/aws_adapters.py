"""The AWS asynchronous operations, composed onto the domain services by the gateway
(gateway/catalog.py): domain packages never import the gateway, so they cannot host them. Each
adapter (gateway/jobs/aws_*.py) is a mixin of thin operations onto the JobEngine (aws_jobs.py).
"""

from __future__ import annotations

from core.service import Service
from gateway.jobs.aws_comprehend import ComprehendJobOperations
from gateway.jobs.aws_comprehend_topics import ComprehendTopicsJobOperations
from gateway.jobs.aws_jobs import EngineJobs
from gateway.jobs.aws_personalize import PersonalizeJobOperations
from gateway.jobs.aws_polly import SpeechSynthesisTaskOperations
from gateway.jobs.aws_rekognition import RekognitionVideoJobOperations
from gateway.jobs.aws_textract import TextractJobOperations
from gateway.jobs.aws_transcribe import TranscriptionJobOperations
from gateway.jobs.aws_translate import TranslateJobOperations

ADAPTERS: dict[str, tuple[type[EngineJobs], ...]] = {
    "translate": (TranslateJobOperations,),
    "comprehend": (ComprehendJobOperations, ComprehendTopicsJobOperations),
    "textract": (TextractJobOperations,),
    "transcribe": (TranscriptionJobOperations,),
    "personalize": (PersonalizeJobOperations,),
    "polly": (SpeechSynthesisTaskOperations,),
    "rekognition": (RekognitionVideoJobOperations,),
}


def with_job_operations(service_class: type[Service]) -> type[Service]:
    """The service class with its AWS job operations, when it has any: `TranslateWithJobs`."""
    adapters = ADAPTERS.get(service_class.name)
    if adapters is None:
        return service_class
    return type(f"{service_class.__name__}WithJobs", (*adapters, service_class), {})
