"""What PII redaction adds to a call: the same requests through the REST door with and without
`X-Pii-Redaction: ALL`, alternated so both see the same machine state, in one run — p50/p99 latency
and the added milliseconds per KB of request text.

The gateway runs in its own process (gateway_overhead.start_gateway), as `aigw serve` does.

    python bench/pii_middleware.py [--requests 40] [--sizes 1,2,4]
"""

from __future__ import annotations

import argparse
import os
import time

import httpx
from gateway_overhead import free_port, percentile, start_gateway

# Realistic support-ticket prose with PII every sentence or two; repeated up to the size asked.
SENTENCES = [
    "Hello, my name is Daniel Okafor and I am writing about order 88213.",
    "You can reach me at daniel.okafor@example.org or on 212-555-0187 during office hours.",
    "The parcel was supposed to arrive at 44 Elm Street, Portland, last Tuesday.",
    "Nobody from the courier called, and the tracking page has not changed since Monday.",
    "My colleague Priya Raman already reported the same problem from the Berlin office.",
    "Please refund the card ending 4111 1111 1111 1111 or send a replacement this week.",
]
OPERATIONS = [  # (label, REST path, body without the text, text member, largest text in bytes)
    ("DetectEntities", "/v1/comprehend/detect-entities", {"LanguageCode": "en"}, "Text", 5000),
    ("DetectSyntax", "/v1/comprehend/detect-syntax", {"LanguageCode": "en"}, "Text", 5000),
    ("TranslateText", "/v1/translate/translate-text", {"SourceLanguageCode": "en", "TargetLanguageCode": "es"},
     "Text", 10_000),
]
REDACT = {"X-Pii-Redaction": "ALL"}


def text_of(kb: int) -> str:
    text, i = "", 0
    while len(text.encode()) < kb * 1024:
        text += SENTENCES[i % len(SENTENCES)] + " "
        i += 1
    return text.strip()


def timed(client: httpx.Client, path: str, body: dict, headers: dict) -> float:
    start = time.perf_counter()
    client.post(path, json=body, headers=headers, timeout=120).raise_for_status()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="requests per cell and variant")
    parser.add_argument("--sizes", default="1,2,4", help="text sizes in KB")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    port = free_port()
    server = start_gateway(port, auth=False)
    rows = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for label, path, base, member, limit in OPERATIONS:
                for kb in sizes:
                    if kb * 1024 > limit:
                        continue
                    body = {**base, member: text_of(kb)}
                    for headers in ({}, REDACT, {}, REDACT):  # warm the models and the connection
                        timed(client, path, body, headers)
                    plain, redacted = [], []
                    for _ in range(args.requests):
                        plain.append(timed(client, path, body, {}))
                        redacted.append(timed(client, path, body, REDACT))
                    rows.append((label, kb, plain, redacted))
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"\nREST door, {args.requests} requests per cell and variant, alternated; {os.cpu_count()} CPU cores.")
    print("'added' is redacted minus plain at the same percentile; per KB divides it by the request text's size.\n")
    header = (f"{'operation':16s} {'KB':>3s} {'plain p50':>10s} {'plain p99':>10s} {'redact p50':>11s} "
              f"{'redact p99':>11s} {'added p50':>10s} {'added p99':>10s} {'p50 ms/KB':>10s} {'p99 ms/KB':>10s}")
    print(header)
    print("-" * len(header))
    for label, kb, plain, redacted in rows:
        p50, p99 = percentile(plain, 50), percentile(plain, 99)
        r50, r99 = percentile(redacted, 50), percentile(redacted, 99)
        print(f"{label:16s} {kb:3d} {p50:10.1f} {p99:10.1f} {r50:11.1f} {r99:11.1f} {r50 - p50:+10.1f} "
              f"{r99 - p99:+10.1f} {(r50 - p50) / kb:10.1f} {(r99 - p99) / kb:10.1f}")
    print("\nAll figures in milliseconds.")


if __name__ == "__main__":
    main()
