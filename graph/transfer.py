"""Reading and writing organisations in every format Trellis speaks, for the CLI.

| format | read | write | what |
| --- | --- | --- | --- |
| json / yaml | yes | json | the organisation document (:mod:`graph.document`), lossless |
| csv | yes | yes | a folder of the spreadsheets HR keeps (:mod:`graph.formats.csvsheets`) |
| case | yes | yes | 1EdTech CASE 1.0 JSON, the framework only (:mod:`graph.formats.case`) |
| onet, esco, ddat, ftprog | yes | no | public frameworks (:mod:`graph.importers`) |

A framework-only document (no roles, people, ...) read *into* an existing
organisation replaces its framework, scale and competencies and keeps the rest; the
result is checked as a whole, so nothing is written when anything would break.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .document import from_document, to_document
from .errors import BadInput
from .model import Organisation
from .progress import Progress
from .store import Store

__all__ = ["READERS", "WRITERS", "Loaded", "detect", "read", "applied", "import_into", "write", "write_format",
           "framework_part", "merge_framework"]

READERS = ("json", "yaml", "csv", "case", "onet", "esco", "ddat", "ftprog")
WRITERS = ("json", "yaml", "csv", "case")
FRAMEWORK_KEYS = ("framework", "scale", "competencies")


@dataclass(frozen=True)
class Loaded:
    """What a file holds, read and checked once."""

    org: Organisation
    format: str
    skipped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def framework_only(self) -> bool:
        """A framework and nothing else: importing it replaces the framework and keeps the rest."""
        o = self.org
        return not (o.roles or o.people or o.assessments or o.resources or o.families)


_DATASET_MARKERS = {"onet": "Occupation Data.txt", "esco": "occupations_en.csv",
                    "ddat": "roles_levels_skills.csv", "ftprog": "engineering.yml"}


def detect(path: Path) -> str:
    """Guess the format of ``path``: a public dataset's folder by its tell-tale file, else by the names."""
    if path.is_dir():
        for fmt, marker in _DATASET_MARKERS.items():
            if (path / marker).is_file():
                return fmt
        if any(path.glob("*.csv")):
            return "csv"
        if any(path.glob("*.yaml")):
            return "yaml"
        raise BadInput(f"{path}: a folder with neither .csv nor .yaml files; name the format with --format.")
    if path.suffix in (".yaml", ".yml"):
        return "yaml"
    if path.suffix == ".json":
        with path.open("rb") as fh:
            head = fh.read(4096)
        return "case" if b"CFDocument" in head else "json"
    raise BadInput(f"{path}: cannot tell its format from the name; use --format ({', '.join(READERS)}).")


def read(path: Path, fmt: str | None = None, progress: Progress | None = None) -> Loaded:
    """Read ``path`` as an organisation, listing every problem if it is not one."""
    if not path.exists():
        raise BadInput(f"{path}: no such file or folder.")
    fmt = fmt or detect(path)
    if fmt not in READERS:
        raise BadInput(f"Unknown format '{fmt}'; use one of {', '.join(READERS)}.")
    if fmt == "csv":
        from .formats import csvsheets

        return Loaded(csvsheets.read_folder(path, progress=progress), fmt)
    if fmt == "case":
        from .formats import case

        return Loaded(case.read_case(_json(path)), fmt)
    if fmt in ("json", "yaml"):
        return Loaded(_checked(_json(path) if fmt == "json" else _yaml(path)), fmt)
    from . import importers

    result = importers.load(fmt, path, progress)
    return Loaded(from_document(result.document), fmt, tuple(result.skipped), tuple(result.notes))


def _checked(doc: Any) -> Organisation:
    """The organisation of a document, refusing what is no organisation document at all."""
    if not isinstance(doc, dict):
        raise BadInput(f"An organisation document is a JSON object, not a {type(doc).__name__}.")
    if not any(doc.get(k) for k in DOCUMENT_KEYS):
        raise BadInput("The document holds nothing to import: expected some of " + ", ".join(DOCUMENT_KEYS) + ".")
    return from_document(doc)


def _yaml(path: Path) -> Any:
    """One YAML file, or a folder of them merged (as ``seeds/sample``)."""
    if path.is_dir():
        from .seeds import read_document

        return read_document(path)
    try:
        return yaml.load(_text(path), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.YAMLError as exc:
        raise BadInput(f"{path}: not valid YAML", [str(exc)]) from None
    except RecursionError:
        raise BadInput(f"{path}: not valid YAML", ["nested too deeply"]) from None


def _text(path: Path) -> str:
    """The file as UTF-8 text, or BAD_INPUT saying it is not (a latin-1 or UTF-16 export, a binary file)."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: is not UTF-8 text", [f"byte {exc.start}: {exc.reason}; save the file as UTF-8"]) from None


def _json(path: Path) -> Any:
    """A JSON document; a Trellis store file (``{"organisation": ..., "version": ...}``) gives its organisation."""
    try:
        doc = json.loads(_text(path))
        if isinstance(doc, dict) and {"organisation", "version"} <= set(doc) and isinstance(doc["organisation"], dict):
            from .store.embedded import read_store_file

            return read_store_file(path)[1]          # with the journal's edits since the file was written
        return doc
    except json.JSONDecodeError as exc:
        raise BadInput(f"{path}: not valid JSON", [f"line {exc.lineno} column {exc.colno}: {exc.msg}"]) from None
    except RecursionError:
        raise BadInput(f"{path}: not valid JSON", ["nested too deeply"]) from None
    except ValueError as exc:                       # e.g. an integer of more than 4,300 digits
        raise BadInput(f"{path}: not valid JSON", [str(exc)]) from None


def framework_part(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k in FRAMEWORK_KEYS}


def merge_framework(current: Organisation, framework: Organisation) -> Organisation:
    """``current`` with its framework, scale and competencies replaced by ``framework``'s.

    The result is checked as a whole by the document reader (the one place the rules live): a requirement
    or an assessment of a competency the new framework drops is refused, naming it.
    """
    doc = to_document(current)
    doc.update(framework_part(to_document(framework)))
    return from_document(doc)


def applied(current: Organisation, loaded: Loaded, framework_only: bool = False) -> Organisation:
    """What importing ``loaded`` makes of ``current``: a new framework, or the whole organisation."""
    return merge_framework(current, loaded.org) if framework_only or loaded.framework_only else loaded.org


def import_into(store: Store, path: Path, fmt: str | None = None, framework_only: bool = False,
                progress: Progress | None = None) -> tuple[Loaded, Organisation]:
    """Read ``path`` and make it the store's content (or its framework): the one import that the CLI and
    ``serve --dataset`` share. Nothing is written when the file has a problem."""
    loaded = read(path, fmt, progress)
    merge = framework_only or loaded.framework_only
    org = merge_framework(store.organisation(), loaded.org) if merge else loaded.org
    store.replace(org, progress)
    return loaded, org


DOCUMENT_KEYS = ("framework", "scale", "competencies", "families", "tracks", "levels", "roles", "moves", "resources",
                 "people", "assessments")


def write_format(path: Path, fmt: str | None) -> str:
    """The format to export ``path`` in: the one asked for, else YAML for ``.yaml``/``.yml``, else JSON."""
    if fmt is not None:
        return fmt
    return "yaml" if path.suffix.lower() in (".yaml", ".yml") else "json"


def write(org: Organisation, path: Path, fmt: str = "json", framework_only: bool = False) -> None:
    if fmt not in WRITERS:
        raise BadInput(f"Cannot export as '{fmt}'; use one of {', '.join(WRITERS)}.")
    if fmt in ("json", "yaml"):
        doc = to_document(org)
        if framework_only:
            doc = framework_part(doc)
        text = (json.dumps(doc, indent=1, ensure_ascii=False) + "\n" if fmt == "json"
                else yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                                allow_unicode=True))
        path.write_text(text, encoding="utf-8")
    elif fmt == "csv":
        from .formats import csvsheets

        if framework_only:
            org = from_document(framework_part(to_document(org)))
        csvsheets.write_folder(org, path)
    else:
        from .formats import case

        path.write_text(json.dumps(case.to_case(org), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
