"""What every importer shares: the result type, progress reporting, slugs and bullets.

>>> slug("Head of (Agile) delivery management")
'head-of-agile-delivery-management'
>>> bullets("You can:\\n- plan work\\n-  review   code \\n\\n- ship it")
['plan work', 'review code', 'ship it']
"""

from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import BadInput
from ..progress import Progress

__all__ = [
    "ImportResult", "Progress", "DEFAULT_SCALE", "scale", "slug", "bullets", "clean",
    "require_dir", "require_file", "count_lines", "read_rows", "Reporter",
]


DEFAULT_SCALE = ("Awareness", "Working", "Practitioner", "Advanced", "Expert")


@dataclass(frozen=True)
class ImportResult:
    """An organisation document (see :mod:`graph.document`) and what the import did."""

    document: dict[str, Any]
    skipped: list[str] = field(default_factory=list)
    """What was left out and why, aggregated (one line per reason, with counts)."""
    notes: list[str] = field(default_factory=list)
    """The documented mappings applied, so a reader can check the result against the source."""

    def counts(self) -> dict[str, int]:
        """Counts per kind, as a summary would show them."""
        doc = self.document
        indicators = sum(len(texts) for c in doc.get("competencies", [])
                         for texts in (c.get("indicators") or {}).values())
        moves = doc.get("moves") or {}
        return {
            "families": len(doc.get("families", [])), "levels": len(doc.get("levels", [])),
            "roles": len(doc.get("roles", [])), "competencies": len(doc.get("competencies", [])),
            "requirements": sum(len(r.get("requires", [])) for r in doc.get("roles", [])),
            "indicators": indicators,
            "moves": sum(len(v) for v in moves.values()),
        }


def scale(names: tuple[str, ...] | list[str] = DEFAULT_SCALE,
          descriptions: tuple[str, ...] | list[str] | None = None) -> list[dict[str, Any]]:
    descriptions = descriptions or [""] * len(names)
    return [{"level": i + 1, "name": n, "description": d} for i, (n, d) in enumerate(zip(names, descriptions))]


def slug(text: str) -> str:
    """A stable, lower-case, hyphenated id from a name."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clean(text: str | None) -> str:
    """Trim, normalise non-breaking and zero-width spaces, collapse runs of spaces within lines."""
    if not text:
        return ""
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\r\n", "\n")
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.strip().split("\n"))


_BULLET = re.compile(r"^\s*[-*\u2022]\s*")


def bullets(text: str) -> list[str]:
    """The items of a ``You can:`` style list, one per bullet; a heading line ending in ':' is dropped."""
    out: list[str] = []
    for line in clean(text).split("\n"):
        line = line.strip()
        if not line:
            continue
        if _BULLET.match(line):
            out.append(_BULLET.sub("", line).strip())
        elif line.endswith(":") or line.lower() in ("you can", "you can:"):
            continue
        elif out:
            out[-1] = f"{out[-1]} {line}"     # a wrapped bullet
        else:
            out.append(line)
    return [b for b in out if b]


def require_dir(path: Path, what: str, files: tuple[str, ...] = ()) -> Path:
    path = Path(path)
    if not path.is_dir():
        raise BadInput(f"{what}: '{path}' is not a folder.", [f"{path}: not a folder"])
    missing = [f for f in files if not (path / f).is_file()]
    if missing:
        raise BadInput(f"{what}: '{path}' lacks {', '.join(missing)}.",
                       [f"{path / f}: missing" for f in missing])
    return path


def require_file(path: Path, what: str) -> Path:
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{what}: '{path}' is not a file.", [f"{path}: not a file"])
    return path


def _open(path: Path) -> Any:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def count_lines(path: Path) -> int:
    """Physical lines (an upper bound on rows; quoted fields may span lines)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


class Reporter:
    """Calls ``progress`` at most every ``every`` items, and always at the end."""

    def __init__(self, progress: Progress | None, stage: str, total: int, every: int = 5000) -> None:
        self.progress, self.stage, self.total, self.every = progress, stage, total, every
        self.done = 0
        if progress:
            progress(stage, 0, total)

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.progress and self.done % self.every == 0:
            self.progress(self.stage, min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress:
            self.total = max(self.total, self.done)
            self.progress(self.stage, self.total, self.total)


def read_rows(path: Path, progress: Progress | None = None, delimiter: str = ",",
              stage: str | None = None) -> Iterator[dict[str, str]]:
    """Rows of a CSV/TSV file (gzip when it ends in .gz) as dicts, reporting progress by rows."""
    total = max(0, count_lines(path) - 1) if progress else 0
    rep = Reporter(progress, stage or path.name, total)
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    with _open(path) as f:
        for row in csv.DictReader(f, delimiter=delimiter, quoting=quoting):
            rep.step()
            yield row
    rep.finish()
