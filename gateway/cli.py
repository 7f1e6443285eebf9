"""`aigw`: serve the gateway, list models, and call any operation from the shell.

    aigw serve [--host H] [--port P] [--preload]
    aigw models list [--json]
    aigw comprehend detect-sentiment "I love it" [--language-code en] [--endpoint URL]
    aigw batch comprehend.DetectSentiment s3://in/reviews/ s3://out/ [--param LanguageCode=en]

Operations and batch jobs run in process by default; `--endpoint` (or AIGW_ENDPOINT) sends them to a gateway.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any, get_origin

from core.errors import ServiceError
from core.service import Operation, snake_case
from gateway.catalog import default_service_classes

# LanguageCode is required by most text operations; the shell call defaults it so that the
# simplest call (`aigw comprehend detect-sentiment "text"`) works.
CLI_DEFAULTS = {"LanguageCode": "en"}


def _option(member: str) -> str:
    return "--" + snake_case(member).replace("_", "-")


def _parse_value(raw: str) -> Any:
    """Option values may be JSON (lists, objects, numbers); anything else is a string."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _positional_member(op: Operation) -> str | None:
    """The first required member is the command's argument (the text, for text operations)."""
    return next((name for name, f in op.request.model_fields.items() if f.is_required()), None)


def _add_operation_parser(commands: Any, op: Operation) -> None:
    parser = commands.add_parser(op.slug, help=op.summary, description=op.summary)
    fields = op.request.model_fields
    positional = _positional_member(op)
    if positional:
        many = get_origin(fields[positional].annotation) is list
        parser.add_argument(positional, nargs="+" if many else None, metavar=snake_case(positional).upper())
    for name, field in fields.items():
        if name == positional:
            continue
        default = CLI_DEFAULTS.get(name)
        required = field.is_required() and default is None
        parser.add_argument(_option(name), dest=name, required=required, default=default,
                            help=f"{'required' if required else 'optional'}" + (f" (default: {default})" if default else ""))
    parser.add_argument("--input-json", help="the whole request as JSON (AWS member names); arguments override it")
    parser.set_defaults(operation=op)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aigw", description="Self-hosted AWS-shaped AI services.")
    parser.add_argument("--endpoint", default=os.environ.get("AIGW_ENDPOINT"),
                        help="call a running gateway at this URL instead of in process")
    parser.add_argument("--api-key", default=os.environ.get("AIGW_API_KEY"))
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="start the gateway")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--preload", action="store_true", help="load every selected model before serving")

    models = commands.add_parser("models", help="the engines and models installed").add_subparsers(
        dest="models_command", required=True)
    models.add_parser("list", help="every engine, its model, size and licence").add_argument("--json", action="store_true")

    batch = commands.add_parser("batch", help="run an operation over every object under an S3 prefix or folder")
    batch.add_argument("job_operation", metavar="OPERATION", help="<service>.<Operation>, e.g. comprehend.DetectSentiment")
    batch.add_argument("input", metavar="INPUT", help="s3://bucket/prefix/ or a folder")
    batch.add_argument("output", metavar="OUTPUT", help="where <key>.json results, manifest.jsonl and summary.json go")
    batch.add_argument("--param", action="append", default=[], metavar="MEMBER=VALUE",
                       help="a request member every object's request gets (repeatable; values may be JSON)")
    batch.add_argument("--client-token", help="the same token finds the same job instead of starting another")
    batch.add_argument("--pii-redaction", metavar="TYPES",
                       help="redact PII from every result: ALL or comma-separated types (as X-Pii-Redaction)")
    batch.add_argument("--pii-redaction-mode", choices=["mask", "type", "hash"], help="default: the settings' mode")
    batch.add_argument("--pii-redaction-scope", choices=["response", "request", "both"], default="response")

    for service in default_service_classes():
        sub = commands.add_parser(service.name, help=f"{service.name} operations").add_subparsers(
            dest="op_command", required=True)
        for op in service.served_operations().values():
            _add_operation_parser(sub, op)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from core.model_registry import registry
    from core.settings import get_settings
    from gateway.app import create_app

    settings = get_settings()
    app = create_app(settings)
    if args.preload:
        for info in registry.describe():
            if info.selected and (info.installed or not info.optional):
                registry.get(info.capability)
    uvicorn.run(app, host=args.host or settings.host, port=args.port or settings.port,
                log_level=settings.log_level, access_log=False)
    return 0


def _models_list(args: argparse.Namespace) -> int:
    from core.model_registry import registry

    default_service_classes()  # importing the domain packages registers their engines
    infos = registry.describe()
    if args.json:
        print(json.dumps([vars(i) for i in infos], indent=2))
        return 0
    rows = [("CAPABILITY", "ENGINE", "MODEL", "SIZE", "LICENCE", "STATUS")]
    for i in infos:
        size = f"{i.size_bytes / 1e6:.1f} MB" if i.size_bytes else "-"
        state = "loaded" if i.loaded else "installed" if i.installed else "not configured" if i.optional else "missing"
        status = state + (" *" if i.selected else "")
        rows.append((i.capability, i.engine, i.model, size, i.licence, status))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    print("\n* = selected for its capability")
    return 0


def _call(args: argparse.Namespace) -> int:
    op: Operation = args.operation
    data: dict[str, Any] = json.loads(args.input_json) if args.input_json else {}
    positional = _positional_member(op)
    for name in op.request.model_fields:
        value = getattr(args, name, None)
        if value is not None:
            data[name] = value if name == positional else _parse_value(value)
    service_name = args.command
    if args.endpoint:
        from gateway.client import Client

        with Client(args.endpoint, api_key=args.api_key) as client:
            result = getattr(getattr(client, service_name), op.method)(**data)
    else:
        service = next(s for s in default_service_classes() if s.name == service_name)()
        result = getattr(service, op.method)(**data)
    print(result.model_dump_json(indent=2, exclude_none=True))
    return 0


def _job_parameters(pairs: list[str]) -> dict[str, Any]:
    parameters: dict[str, Any] = {}
    for pair in pairs:
        member, sep, raw = pair.partition("=")
        if not sep or not member:
            raise SystemExit(f"aigw batch: --param takes MEMBER=VALUE, got {pair!r}")
        parameters[member] = _parse_value(raw)
    return parameters


def _follow(get: Callable[[], Any], cancel: Callable[[], Any], poll: float = 0.5) -> int:
    """Print a progress line until the job ends; Ctrl-C cancels the job. Exit 0 only if it COMPLETED."""
    try:
        while not (job := get()).finished:
            rate = f", {job.objects_per_second:.1f} obj/s" if job.objects_per_second else ""
            eta = f", ETA {job.eta_seconds:.0f} s" if job.eta_seconds is not None else ""
            total = job.total if job.listing_complete else f"{job.total}+"
            print(f"\r{job.state} {job.done + job.failed}/{total} ({job.failed} failed){rate}{eta}  ",
                  end="", file=sys.stderr, flush=True)
            time.sleep(poll)
    except KeyboardInterrupt:
        cancel()
        job = get()  # in process, cancel() wrote the manifest of what was done; remotely it may follow
    print(file=sys.stderr)
    print(job.model_dump_json(indent=2, exclude_none=True))
    return 0 if job.state == "COMPLETED" else 1


def _pii_redaction(args: argparse.Namespace) -> Any:
    from gateway.jobs.models import PiiRedactionRequest

    if args.pii_redaction is None:
        return None
    return PiiRedactionRequest(types=args.pii_redaction.split(","), mode=args.pii_redaction_mode,
                               scope=args.pii_redaction_scope)


def _batch(args: argparse.Namespace) -> int:
    request = (args.job_operation, args.input, args.output, _job_parameters(args.param), args.client_token,
               _pii_redaction(args))
    if args.endpoint:
        from gateway.client import Client

        with Client(args.endpoint, api_key=args.api_key) as client:
            job = client.jobs.start(*request)
            return _follow(lambda: job.refresh().description, job.cancel)
    from core.settings import get_settings
    from gateway.jobs import JobEngine

    engine = JobEngine(get_settings())  # runs this job only: a gateway on the same data_dir resumes its own
    try:
        job_id = engine.start(*request).job_id
        return _follow(lambda: engine.get(job_id), lambda: engine.cancel(job_id))
    finally:
        engine.close()


def main(argv: list[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "models":
            return _models_list(args)
        if args.command == "batch":
            return _batch(args)
        return _call(args)
    except ServiceError as error:
        print(json.dumps({"__type": error.code, "message": error.message}), file=sys.stderr)
        return 1
    except BrokenPipeError:  # `aigw ... | head` closed the pipe: not an error of ours
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
