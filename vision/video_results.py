"""How Rekognition's Get operations present a video analysis's results (AnalyzeVideo's items, as
JSON): labels in time or name order, each sample apart or consecutive samples joined into segments;
people in time or index order."""

from __future__ import annotations

from vision.video import SAMPLE_INTERVAL_MS


def _segments(items: list[dict]) -> list[dict]:
    """Consecutive samples of the same label joined into one segment (AWS's AggregateBy=SEGMENTS)."""
    by_name: dict[str, list[dict]] = {}
    for item in items:
        by_name.setdefault(item["Label"]["Name"], []).append(item)
    segments = []
    for samples in by_name.values():
        current: dict | None = None
        for item in sorted(samples, key=lambda i: i["Timestamp"]):
            if current is not None and item["Timestamp"] - current["EndTimestampMillis"] <= SAMPLE_INTERVAL_MS:
                current["EndTimestampMillis"] = item["Timestamp"]
                current["Label"]["Confidence"] = max(current["Label"]["Confidence"], item["Label"]["Confidence"])
                continue
            current = {"Timestamp": item["Timestamp"], "Label": dict(item["Label"]),
                       "StartTimestampMillis": item["Timestamp"], "EndTimestampMillis": item["Timestamp"]}
            segments.append(current)
    for segment in segments:
        segment["DurationMillis"] = segment["EndTimestampMillis"] - segment["StartTimestampMillis"]
    return segments


def ordered_labels(items: list[dict], sort_by: str, aggregate_by: str) -> list[dict]:
    """`sort_by` NAME or TIMESTAMP (the most confident first within a sample); `aggregate_by`
    TIMESTAMPS or SEGMENTS."""
    chosen = _segments(items) if aggregate_by == "SEGMENTS" else items
    if sort_by == "NAME":
        return sorted(chosen, key=lambda i: (i["Label"]["Name"], i["Timestamp"]))
    return sorted(chosen, key=lambda i: (i["Timestamp"], -i["Label"]["Confidence"]))


def ordered_persons(items: list[dict], sort_by: str | None) -> list[dict]:
    """`sort_by` INDEX (each person's sightings together) or, by default, TIMESTAMP."""
    if sort_by == "INDEX":
        return sorted(items, key=lambda i: (i["Person"]["Index"], i["Timestamp"]))
    return sorted(items, key=lambda i: (i["Timestamp"], i["Person"]["Index"]))
