"""Batch jobs' throughput: objects/s over a local folder for a cheap operation (DetectDominantLanguage,
fastText) and a model-bound one (DetectEntities, spaCy), through the job engine's local executor and,
where Ray is installed, its Ray executor, beside a plain loop that reads, calls the service in
process and writes each result — in one run, on this machine.

Models are loaded before timing in this process; Ray's actors load theirs inside the timing, as a
real job pays it.

    python bench/batch_throughput.py [--objects 2000] [--model-objects 400] [--workers 4]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from core.settings import Settings
from gateway.catalog import ServiceCatalog
from gateway.jobs import JobEngine
from gateway.jobs.work import resolve
from nlp import Comprehend

SENTENCES = [
    "Angela Merkel met Emmanuel Macron in Paris on Tuesday to discuss the European budget.",
    "El Real Madrid ganó la final de la Liga de Campeones en Londres el pasado sábado.",
    "La Banque de France a relevé ses prévisions de croissance pour l'année prochaine.",
    "Microsoft opened a new data centre in Dublin, hiring two hundred engineers from Ireland.",
    "Die Deutsche Bahn kündigte neue Verbindungen zwischen Berlin und München für den Sommer an.",
    "The committee at Stanford University will publish its final report on the railway next spring.",
]
OPERATIONS = [("comprehend.DetectDominantLanguage", {}, "cheap"),
              ("comprehend.DetectEntities", {"LanguageCode": "en"}, "model-bound")]


def write_inputs(folder: Path, count: int) -> None:
    for i in range(count):
        path = folder / f"part{i % 10}" / f"{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{SENTENCES[i % len(SENTENCES)]} Reference {i}.")


def plain_loop(operation: str, parameters: dict, source: Path, target: Path) -> int:
    """What a user would write without jobs: one object after another, in process."""
    service, op = resolve(ServiceCatalog.default(), operation)
    method = getattr(service, op.method)
    count = 0
    for path in sorted(source.rglob("*.txt")):
        result = method(Text=path.read_text(), **parameters)
        out = target / path.relative_to(source).with_suffix(".txt.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(result.model_dump_json(exclude_none=True))
        count += 1
    return count


def engine_run(executor: str, workers: int) -> Callable[[str, dict, Path, Path], int]:
    def run(operation: str, parameters: dict, source: Path, target: Path) -> int:
        settings = Settings(data_dir=target.parent / f"data-{target.name}",
                            jobs={"executor": executor, "workers": workers, "window": workers * 8})
        engine = JobEngine(settings)
        try:
            job = engine.wait(engine.start(operation, str(source), str(target), parameters).job_id, poll=0.02)
        finally:
            engine.close()
        assert job.state == "COMPLETED" and job.failed == 0, job
        return job.done

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=2000, help="objects for the cheap operation")
    parser.add_argument("--model-objects", type=int, default=400, help="objects for the model-bound operation")
    parser.add_argument("--workers", type=int, default=4, help="threads of the local executor")
    args = parser.parse_args()

    runners: list[tuple[str, Callable[[str, dict, Path, Path], int]]] = [
        ("plain loop", plain_loop), (f"local executor ({args.workers} threads)", engine_run("local", args.workers))]
    if importlib.util.find_spec("ray"):
        import ray

        ray.init(include_dashboard=False, log_to_driver=False)  # a cluster starts once, not per job
        runners.append(("ray executor (2 actors x 0.5 CPU)", engine_run("ray", args.workers)))
    else:
        print("Ray is not installed here (pip install 'aigw[ray]'): its row is left out.\n")

    comprehend = Comprehend()
    comprehend.detect_dominant_language(SENTENCES[0])
    comprehend.detect_entities(SENTENCES[0], language_code="en")

    rows = [("OPERATION", "KIND", "RUN", "OBJECTS", "SECONDS", "OBJECTS/S", "VS LOOP")]
    work = Path(tempfile.mkdtemp(prefix="aigw-batch-bench-"))
    try:
        for operation, parameters, kind in OPERATIONS:
            source = work / f"in-{kind}"
            write_inputs(source, args.objects if kind == "cheap" else args.model_objects)
            baseline = None
            for n, (name, runner) in enumerate(runners):
                start = time.perf_counter()
                count = runner(operation, parameters, source, work / f"out-{kind}-{n}")
                seconds = time.perf_counter() - start
                rate = count / seconds
                baseline = baseline or rate
                rows.append((operation.split(".")[1], kind, name, str(count), f"{seconds:.2f}", f"{rate:.0f}",
                             f"{rate / baseline:.2f}x"))
    finally:
        shutil.rmtree(work)
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
