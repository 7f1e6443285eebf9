"""Recommendation services: Amazon Personalize."""

SERVICES: list = []
