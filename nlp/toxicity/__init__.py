"""Toxic-content scoring for Comprehend's DetectToxicContent (see ``classifier.py`` for what the scores mean)."""

from .classifier import CAPABILITY, LABELS, SPEC, ToxicityClassifier, ToxicityResult

__all__ = ["CAPABILITY", "LABELS", "SPEC", "ToxicityClassifier", "ToxicityResult"]
