"""What each door costs: DetectDominantLanguage in process, through the REST door, and through
the AWS door with boto3 — p50/p99 latency and requests/s, in one run on this machine.

The gateway runs in its own process (as `aigw serve` does) so client and server do not share a GIL.

    python bench/gateway_overhead.py [--requests 2000] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import httpx
from botocore import UNSIGNED
from botocore.config import Config

from nlp import Comprehend

KEY = "bench"
TEXT = "The committee will publish its final report on the new railway line next spring."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gateway(port: int, *, auth: bool) -> subprocess.Popen[bytes]:
    aigw = Path(sys.executable).parent / "aigw"
    env = {**os.environ, "AIGW_LOG_LEVEL": "warning"}
    if auth:
        env.update(AIGW_API_KEYS=f'["{KEY}"]', AIGW_AWS_CREDENTIALS=f'{{"{KEY}": "{KEY}"}}')
    proc = subprocess.Popen([str(aigw), "serve", "--port", str(port), "--preload"], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gateway did not start")


def measure(call: Callable[[], object], requests: int) -> list[float]:
    for _ in range(min(200, requests // 5)):  # warm caches, connections and the model
        call()
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def throughput(make_call: Callable[[], Callable[[], object]], requests: int, concurrency: int) -> float:
    calls = [make_call() for _ in range(concurrency)]  # one client per thread, as real callers have
    per_thread = requests // concurrency
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda call: [call() for _ in range(per_thread)], calls))
    return per_thread * concurrency / (time.perf_counter() - start)


def percentile(times: list[float], q: float) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    comprehend = Comprehend()

    def in_process(url: str) -> Callable[[], object]:
        return lambda: comprehend.detect_dominant_language(TEXT)

    def rest(url: str, headers: dict[str, str] | None = None) -> Callable[[], object]:
        client = httpx.Client(base_url=url, headers=headers)
        return lambda: client.post("/v1/comprehend/detect-dominant-language", json={"Text": TEXT}).raise_for_status()

    def aws(url: str, signed: bool = False) -> Callable[[], object]:
        config = Config(retries={"max_attempts": 1}, **({} if signed else {"signature_version": UNSIGNED}))
        client = boto3.client("comprehend", endpoint_url=url, region_name="us-east-1",
                              aws_access_key_id=KEY, aws_secret_access_key=KEY, config=config)
        return lambda: client.detect_dominant_language(Text=TEXT)

    runs = [
        (False, [("in-process", in_process), ("REST (httpx)", rest), ("AWS (boto3, unsigned)", aws)]),
        (True, [("REST + API key (auth on)", lambda url: rest(url, {"Authorization": f"Bearer {KEY}"})),
                ("AWS + SigV4 verified (auth on)", lambda url: aws(url, signed=True))]),
    ]
    rows = []
    for auth, ways in runs:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_gateway(port, auth=auth)
        try:
            for name, make in ways:
                times = measure(make(url), args.requests)
                rows.append((name, percentile(times, 50), percentile(times, 99), len(times) / sum(times),
                             throughput(lambda: make(url), args.requests, args.concurrency)))
        finally:
            server.terminate()
            server.wait(timeout=10)

    base_p50 = rows[0][1]
    print(f"\nDetectDominantLanguage, {args.requests} sequential requests per way; "
          f"throughput with {args.concurrency} client threads; {os.cpu_count()} CPU cores.")
    print("The gateway runs in its own process; the client's own cost (httpx, boto3 signing) is part of each door's figure.\n")
    header = f"{'way':32s} {'p50 ms':>8s} {'p99 ms':>8s} {'req/s seq':>10s} {'req/s conc':>11s} {'p50 overhead ms':>16s}"
    print(header)
    print("-" * len(header))
    for name, p50, p99, seq, conc in rows:
        overhead = "-" if name == "in-process" else f"{p50 - base_p50:+.3f}"
        print(f"{name:32s} {p50:8.3f} {p99:8.3f} {seq:10.0f} {conc:11.0f} {overhead:>16s}")
    rest_overhead = rows[1][1] - base_p50
    print(f"\nREST door p50 overhead: {rest_overhead:.3f} ms (target <= 2 ms): {'MET' if rest_overhead <= 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
