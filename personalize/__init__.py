"""Recommendation services: Amazon Personalize's three clients (control plane, runtime, events)."""

from personalize.events import PersonalizeEvents
from personalize.personalize import Personalize
from personalize.runtime import PersonalizeRuntime

SERVICES = [Personalize, PersonalizeRuntime, PersonalizeEvents]
__all__ = ["SERVICES", "Personalize", "PersonalizeEvents", "PersonalizeRuntime"]
