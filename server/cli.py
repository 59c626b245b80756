"""The ``trellis`` command: serve, seed, import, export, generate.

Settings come from the environment (see :mod:`server.config`); options override them.
"""

from __future__ import annotations

import argparse
import glob
import contextlib
import dataclasses
import logging
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from graph import transfer
from graph.model import Organisation
from graph.errors import BadInput, TrellisError
from graph.seeds import sample_organisation
from graph.store import Store

from .config import Settings
from .stores import open_store

__all__ = ["main"]


def _summary(counts: dict[str, int], started: float) -> str:
    parts = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    return f"{parts} in {time.perf_counter() - started:.1f}s"


@contextlib.contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar on a terminal (one row per step); silent otherwise."""
    columns = [TextColumn("{task.description:>16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), disable=not sys.stderr.isatty()) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=max(total, 1))
            bar.update(tasks[step], completed=done if total else 1)

        yield progress


def _load(store: Store, org: Organisation, what: str) -> None:
    """Write ``org`` with a progress bar on a terminal, then print a summary with rows per second."""
    started = time.perf_counter()
    with _progress_bar() as progress:
        store.replace(org, progress)
    _report(org, what, started)


def _report(org: Organisation, what: str, started: float) -> None:
    elapsed = time.perf_counter() - started
    rows = sum(org.counts().values())
    print(f"{what}: " + _summary(org.counts(), started) + f" ({rows / max(elapsed, 1e-9):,.0f} rows/s)")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from .app import create_app
    from .memory import one_malloc_arena

    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")
    host, port = args.host or settings.host, args.port or settings.port
    if not 1 <= port <= 65535 or args.workers < 1:
        raise BadInput(f"--port must be between 1 and 65535 (not {port}) and --workers at least 1 (not {args.workers}).")
    settings = dataclasses.replace(settings, host=host, port=port, dataset=args.dataset or settings.dataset)
    print(f"Trellis on http://{host}:{port}/  (GraphQL: /graphql)", file=sys.stderr)
    one_malloc_arena()
    if args.workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=settings.access_log)
        return 0
    if not settings.neo4j_uri:
        from .prefork import serve

        return serve(settings, open_store(settings, seed=True), args.workers)
    # Neo4j: worker processes import the app afresh; the environment is the only way settings reach them.
    os.environ.update({"HOST": host, "PORT": str(port), "TRELLIS_DATA": str(settings.data)})
    os.environ.setdefault("MALLOC_ARENA_MAX", "1")
    if settings.dataset:
        os.environ["TRELLIS_DATASET"] = settings.dataset
    uvicorn.run("server.app:create_app", factory=True, host=host, port=port, workers=args.workers,
                log_level="info", access_log=settings.access_log)
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    org = sample_organisation()
    try:
        if store.organisation() == org:
            print("The store already holds the sample organisation; nothing to do.")
        else:
            _load(store, org, "Loaded the sample organisation")
    finally:
        store.close()
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    created = not settings.neo4j_uri and not settings.data.exists()
    started = time.perf_counter()
    try:
        with _progress_bar() as progress:
            store = open_store(settings)
            try:
                loaded, org = transfer.import_into(store, path, args.format, args.framework_only, progress)
            finally:
                store.close()
    except BaseException:
        if created:                                    # refused: nothing is left behind, not even an empty store
            for made in (settings.data, *settings.data.parent.glob(glob.escape(settings.data.name) + ".*")):
                made.unlink(missing_ok=True)           # its lock, journal and column files too
        raise
    merged = args.framework_only or loaded.framework_only
    _report(org, f"Imported the framework of {path} (roles, people and the rest kept)" if merged
            else f"Imported {path}", started)
    for line in loaded.skipped:
        print(f"  skipped: {line}")
    for line in loaded.notes:
        print(f"  note: {line}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings, existing=True)
    try:
        org = store.organisation()
    finally:
        store.close()
    fmt = transfer.write_format(Path(args.file), args.format)
    transfer.write(org, Path(args.file), fmt, args.framework_only)
    print(f"Exported {'the framework' if args.framework_only or fmt == 'case' else 'the organisation'} "
          f"to {args.file} ({fmt}).")
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from graph.checks import framework_issues

    if args.file:
        org = transfer.read(Path(args.file), args.format).org
    else:
        store = open_store(settings, existing=True)
        try:
            org = store.organisation()
        finally:
            store.close()
    issues = framework_issues(org)
    for issue in issues:
        print(f"{issue.severity.value:7} {issue.code:28} {issue.message}")
    errors = sum(i.severity.value == "ERROR" for i in issues)
    print(f"{errors} errors, {len(issues) - errors} warnings.")
    return 1 if errors else 0


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    from graph.generate import generate

    for name, value, low, high in (("--roles", args.roles, 1, 100_000), ("--competencies", args.competencies, 1, 50_000),
                                   ("--people", args.people, 0, 2_000_000)):
        if not low <= value <= high:
            raise BadInput(f"{name} must be between {low:,} and {high:,}, not {value:,}.")
    if args.requirements is not None and not 1 <= args.requirements <= args.competencies:
        raise BadInput(f"--requirements must be between 1 and --competencies ({args.competencies:,}), "
                       f"not {args.requirements:,}.")
    doc = generate(roles=args.roles, competencies=args.competencies, people=args.people, seed=args.seed,
                   requirements=args.requirements)
    text = json.dumps(doc, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"Wrote {args.out}: {args.roles} roles, {args.competencies} competencies, {args.people} people.",
              file=sys.stderr)
    else:
        print(text)
    return 0


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    from .auth import Access, issue_token, load_secret

    if args.ttl < 1:
        raise BadInput(f"--ttl must be at least 1 second, not {args.ttl}.")
    secret = load_secret(str(settings.secret), settings.data.parent)
    if settings.neo4j_uri or settings.data.exists():
        store = open_store(settings)
        try:
            known = args.person in store.organisation().people
        finally:
            store.close()
        if not known:
            print(f"warning: the store holds no person {args.person!r}: the token is issued, but what it asks "
                  "about its own person answers NOT_FOUND until that person is imported.", file=sys.stderr)
    print(issue_token(secret, args.person, Access(args.role), ttl=args.ttl))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="trellis", description="Trellis: a living career lattice.")
    p.add_argument("--data", type=Path, help="embedded store file (default: $TRELLIS_DATA or .trellis/store.json)")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve the site and the GraphQL API")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--workers", type=int, default=1)
    s.add_argument("--dataset", choices=["onet", "esco", "ddat", "ftprog"],
                   help="serve a public framework from ../shared/data instead of the sample organisation")
    s.set_defaults(run=cmd_serve)
    sub.add_parser("seed", help="load the sample organisation into the configured store").set_defaults(run=cmd_seed)
    i = sub.add_parser("import", help="replace the store's content with an organisation, or its framework with a "
                                      "framework (every problem is listed and nothing is written)")
    i.add_argument("file")
    i.add_argument("--format", choices=transfer.READERS, help="default: guessed from the file")
    i.add_argument("--framework-only", action="store_true", help="replace only framework, scale and competencies")
    i.set_defaults(run=cmd_import)
    e = sub.add_parser("export", help="write the store's content (json, a csv folder, or the framework as CASE)")
    e.add_argument("file")
    e.add_argument("--format", choices=transfer.WRITERS, help="default: yaml for .yaml/.yml, else json")
    e.add_argument("--framework-only", action="store_true", help="only framework, scale and competencies")
    e.set_defaults(run=cmd_export)
    c = sub.add_parser("check", help="list what makes the framework weak (exit 1 on errors)")
    c.add_argument("file", nargs="?", help="check a file instead of the store")
    c.add_argument("--format", choices=transfer.READERS)
    c.set_defaults(run=cmd_check)
    g = sub.add_parser("generate", help="write a deterministic synthetic organisation document")
    g.add_argument("--roles", type=int, default=100, help="default 100")
    g.add_argument("--competencies", type=int, default=50, help="default 50")
    g.add_argument("--people", type=int, default=500, help="default 500")
    g.add_argument("--seed", type=int, default=0, help="default 0")
    g.add_argument("--requirements", type=int, help="requirements per role, on average (default: about 8)")
    g.add_argument("--out", help="file to write (default: standard output)")
    g.set_defaults(run=cmd_generate)
    t = sub.add_parser("token", help="issue a signed bearer token (secret: $TRELLIS_SECRET, else .trellis/secret)")
    t.add_argument("--person", required=True, help="the person id the token speaks for")
    t.add_argument("--role", required=True, choices=["EMPLOYEE", "MANAGER", "HR"], help="the access level")
    t.add_argument("--ttl", type=int, default=8 * 3600, help="seconds until it expires (default 8 h)")
    t.set_defaults(run=cmd_token)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)   # its retries and drops: ours to report, in words
    try:
        settings = Settings.from_env()
        if args.data:
            settings = dataclasses.replace(settings, data=args.data)
        return int(args.run(args, settings))
    except TrellisError as exc:
        print(f"error [{exc.code}]: {exc.message}", file=sys.stderr)
        for problem in exc.problems[:50]:
            print(f"  - {problem}", file=sys.stderr)
        if len(exc.problems) > 50:
            print(f"  ... and {len(exc.problems) - 50} more", file=sys.stderr)
        return 2
    except BrokenPipeError:              # `trellis check | head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except OSError as exc:
        print(f"error [IO]: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted. Only whole batches were written; run the same command again to complete it.",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
