"""The ``trellis`` command: serve, seed, import, export, generate.

Settings come from the environment (see :mod:`server.config`); options override them.
"""

from __future__ import annotations

import argparse
import inspect
import logging
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from graph.document import from_document, to_document
from graph.model import Organisation
from graph.errors import TrellisError
from graph.seeds import read_document, sample_organisation
from graph.store import Store
from graph.store.embedded import EmbeddedStore

from .config import Settings

__all__ = ["main"]


def _store(settings: Settings, seed: bool) -> Store:
    if settings.neo4j_uri:
        from .app import open_store

        return open_store(settings)
    return EmbeddedStore(settings.data, seed=seed)


def _read(path: Path) -> dict[str, Any]:
    if path.is_dir():
        return read_document(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        import yaml

        return yaml.safe_load(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TrellisError(f"{path}: not valid JSON: {exc}") from None


def _summary(counts: dict[str, int], started: float) -> str:
    parts = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    return f"{parts} in {time.perf_counter() - started:.1f}s"


def _load(store: Store, org: Organisation, what: str) -> None:
    """Write ``org`` with a progress bar on a terminal, then print a summary with rows per second."""
    started = time.perf_counter()
    replace: Any = store.replace
    if "progress" not in inspect.signature(replace).parameters:
        replace(org)
    else:
        columns = [TextColumn("{task.description:>16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=Console(stderr=True), disable=not sys.stderr.isatty()) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=max(total, 1))
                bar.update(tasks[step], completed=done if total else 1)

            replace(org, progress=progress)
    elapsed = time.perf_counter() - started
    rows = sum(org.counts().values())
    print(f"{what}: " + _summary(org.counts(), started) + f" ({rows / max(elapsed, 1e-9):,.0f} rows/s)")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")
    os.environ.update({"HOST": args.host or settings.host, "PORT": str(args.port or settings.port)})
    if args.data:
        os.environ["TRELLIS_DATA"] = str(args.data)
    host, port = args.host or settings.host, args.port or settings.port
    print(f"Trellis on http://{host}:{port}/  (GraphQL: /graphql)", file=sys.stderr)
    uvicorn.run("server.app:create_app", factory=True, host=host, port=port, workers=args.workers,
                log_level="info")
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings, seed=False)
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
    org = from_document(_read(Path(args.file)))
    store = _store(settings, seed=False)
    try:
        _load(store, org, f"Imported {args.file}")
    finally:
        store.close()
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings, seed=True)
    doc = to_document(store.organisation())
    store.close()
    Path(args.file).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Exported to {args.file}.")
    return 0


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    from graph.generate import generate

    doc = generate(roles=args.roles, competencies=args.competencies, people=args.people, seed=args.seed)
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

    secret = load_secret(str(settings.secret), settings.data.parent)
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
    s.set_defaults(run=cmd_serve)
    sub.add_parser("seed", help="load the sample organisation into the configured store").set_defaults(run=cmd_seed)
    i = sub.add_parser("import", help="replace the store's content with an organisation document (JSON, YAML "
                                      "or a folder of YAML files)")
    i.add_argument("file")
    i.set_defaults(run=cmd_import)
    e = sub.add_parser("export", help="write the store's content as a JSON organisation document")
    e.add_argument("file")
    e.set_defaults(run=cmd_export)
    g = sub.add_parser("generate", help="write a deterministic synthetic organisation document")
    g.add_argument("--roles", type=int, default=100)
    g.add_argument("--competencies", type=int, default=50)
    g.add_argument("--people", type=int, default=500)
    g.add_argument("--seed", type=int, default=0)
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
    logging.getLogger("neo4j").setLevel(logging.ERROR)   # retries are ours to report, once, in words
    try:
        settings = Settings.from_env()
        if args.data:
            settings = Settings(**{**settings.__dict__, "data": args.data})
        return int(args.run(args, settings))
    except TrellisError as exc:
        print(f"error [{exc.code}]: {exc.message}", file=sys.stderr)
        for problem in exc.problems[:50]:
            print(f"  - {problem}", file=sys.stderr)
        if len(exc.problems) > 50:
            print(f"  ... and {len(exc.problems) - 50} more", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted. Only whole batches were written; run the same command again to complete it.",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
