"""Import and export over HTTP, for HR's editor in the site (the same code as ``trellis import``/``export``).

- ``POST /api/import/preview`` — body ``{"format": "json"|"yaml"|"csv"|"case"|null, "files": [{"name", "content",
  "encoding": "text"|"base64"}]}`` (a CSV folder is several files, or one ``.zip``): what the import would change,
  per kind ``{added, changed, removed}``, without writing anything.
- ``POST /api/import`` — the same body: applies it in one commit with one audit entry (``import``).
- ``GET /api/export?format=json|yaml|csv|case`` — a download (csv: a zip of the folder).

HR only: the bearer token of ``/graphql``; 401 ``UNAUTHENTICATED`` without a valid one, 403 ``FORBIDDEN`` for
anyone else. A bad file answers 400 ``BAD_INPUT`` with every problem in ``error.problems`` and writes nothing; a
body over 20 MB answers 413. Reading, parsing and writing run off the event loop.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import io
import json
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph import transfer
from graph.checks import framework_issues
from graph.edits import Edit
from graph.engine import Engine
from graph.errors import BadInput, Forbidden, TrellisError, Unauthenticated
from graph.model import Organisation

from .auth import Access, Viewer, bearer, read_token

__all__ = ["transfer_routes", "preview", "MAX_BODY"]

MAX_BODY = 20 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024
IMPORT_FORMATS = ("json", "yaml", "csv", "case")
STATUS = {"BAD_INPUT": 400, "UNAUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404, "CONFLICT": 409,
          "TOO_LARGE": 413, "UNSUPPORTED_MEDIA_TYPE": 415, "UNAVAILABLE": 503}
KINDS = ("framework", "competencies", "indicators", "families", "tracks", "levels", "roles", "requirements", "moves",
         "resources", "people", "assessments", "plans")


class TooLarge(TrellisError):
    code = "TOO_LARGE"


class Unsupported(TrellisError):
    code = "UNSUPPORTED_MEDIA_TYPE"


def _error(exc: TrellisError) -> JSONResponse:
    body: dict[str, Any] = {"code": exc.code, "message": exc.message}
    if exc.problems:
        body["problems"] = exc.problems
    headers = {"www-authenticate": "Bearer"} if exc.code == "UNAUTHENTICATED" else None
    return JSONResponse({"error": body}, status_code=STATUS.get(exc.code, 500), headers=headers)


# --- what an import changes -------------------------------------------------------------------


def _keyed(org: Organisation) -> dict[str, dict[Any, Any]]:
    """Every kind as {key: value}: what is compared to count added, changed and removed.

    Indicators are keyed by (competency, level, text) (a reworded indicator is one removed and one added);
    requirements by (role, competency); moves by (from, to, kind); roles without their requirements."""
    return {
        "framework": {"framework": org.framework},
        "competencies": dict(org.competencies),
        "indicators": {(i.competency_id, i.level, i.text): True for i in org.indicators},
        "families": dict(org.families),
        "tracks": dict(org.tracks),
        "levels": dict(org.levels),
        "roles": {k: dataclasses.replace(r, requirements=()) for k, r in org.roles.items()},
        "requirements": {(r.id, q.competency_id): q for r in org.roles.values() for q in r.requirements},
        "moves": {(m.source, m.target, m.kind.value): True for m in org.moves},
        "resources": dict(org.resources),
        "people": dict(org.people),
        "assessments": {a.id: a for a in org.assessments},
        "plans": dict(org.plans),
    }


def diff(before: Organisation, after: Organisation) -> dict[str, dict[str, int]]:
    """Per kind, how many items the import adds, changes and removes."""
    old, new = _keyed(before), _keyed(after)
    result = {}
    for kind in KINDS:
        a, b = old[kind], new[kind]
        result[kind] = {"added": sum(1 for k in b if k not in a),
                        "changed": sum(1 for k in b if k in a and a[k] != b[k]),
                        "removed": sum(1 for k in a if k not in b)}
    return result


# --- reading the upload -----------------------------------------------------------------------


def _safe_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise BadInput("files[].name: every file needs a name.")
    base = PurePosixPath(name.replace("\\", "/")).name
    if not base or base in (".", ".."):
        raise BadInput(f"files[].name: '{name}' is not a file name.")
    return base


def _payload(raw: bytes) -> tuple[str | None, list[tuple[str, bytes]]]:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadInput('The body must be JSON: {"format": ..., "files": [{"name": ..., "content": ...}]}.') from None
    if not isinstance(body, dict) or not isinstance(body.get("files"), list) or not body["files"]:
        raise BadInput('files: send at least one file as {"name": ..., "content": ...}.')
    fmt = body.get("format") or None
    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise BadInput(f"format: '{fmt}' is not one of {', '.join(IMPORT_FORMATS)} (or leave it out to guess).")
    files: list[tuple[str, bytes]] = []
    for n, item in enumerate(body["files"]):
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            raise BadInput(f"files[{n}].content: a file's content must be a string.")
        name = _safe_name(item.get("name"))
        if item.get("encoding") == "base64":
            try:
                data = base64.b64decode(item["content"], validate=True)
            except (binascii.Error, ValueError):
                raise BadInput(f"files[{n}].content: '{name}' is not valid base64.") from None
        else:
            data = item["content"].encode("utf-8")
        files.append((name, data))
    return fmt, files


def _unzip(data: bytes, name: str) -> list[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BadInput(f"{name}: not a zip file.") from None
    out, total = [], 0
    with archive:
        for info in archive.infolist():
            if info.is_dir() or PurePosixPath(info.filename).name.startswith("."):
                continue
            total += info.file_size
            if total > MAX_UNZIPPED:
                raise TooLarge(f"{name}: unpacks to more than {MAX_UNZIPPED // 2**20} MB.")
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:   # bad CRC, lying sizes
                raise BadInput(f"{name}: {info.filename} cannot be unpacked: {exc}") from None
            if len(data) != info.file_size:
                raise BadInput(f"{name}: {info.filename} is not the size the zip says.")
            out.append((_safe_name(info.filename), data))
    if not out:
        raise BadInput(f"{name}: the zip file is empty.")
    return out


def load(raw: bytes, current: Organisation) -> tuple[Organisation, dict[str, Any]]:
    """The organisation an upload would make of ``current``, and what to say about it (format, mode, notes)."""
    fmt, files = _payload(raw)
    if len(files) == 1 and files[0][0].lower().endswith(".zip"):
        files = _unzip(files[0][1], files[0][0])
        fmt = fmt or "csv"
    names = [n for n, _ in files]
    if len(set(names)) != len(names):
        raise BadInput("files: two files have the same name: " + ", ".join(sorted({n for n in names if names.count(n) > 1})) + ".")
    with tempfile.TemporaryDirectory(prefix="trellis-import-") as tmp:
        folder = Path(tmp) / "upload"
        folder.mkdir()
        for name, data in files:
            (folder / name).write_bytes(data)
        if fmt == "csv" or (fmt is None and (len(files) > 1 or names[0].lower().endswith(".csv"))):
            path = folder
            fmt = "csv" if fmt is None and any(n.lower().endswith(".csv") for n in names) else fmt
        elif len(files) > 1 and fmt == "yaml":
            path = folder
        elif len(files) > 1:
            raise BadInput(f"files: a {fmt} import is one file, not {len(files)}.")
        else:
            path = folder / names[0]
        try:
            loaded = transfer.read(path, fmt)
        except BadInput as exc:       # the problems name the files, not the server's temporary folder
            hide = f"{folder}/"
            raise BadInput(exc.message.replace(hide, ""), [p.replace(hide, "") for p in exc.problems]) from None
    org = transfer.applied(current, loaded)
    return org, {"format": loaded.format, "mode": "framework" if loaded.framework_only else "replace",
                 "skipped": list(loaded.skipped), "notes": list(loaded.notes), "files": names}


def preview(raw: bytes, current: Organisation) -> dict[str, Any]:
    org, about = load(raw, current)
    issues = framework_issues(org)
    return {**about, "changes": diff(current, org), "counts": org.counts(),
            "issues": {"errors": sum(i.severity.value == "ERROR" for i in issues),
                       "warnings": sum(i.severity.value != "ERROR" for i in issues)}}


def import_edit(current: Organisation, raw: bytes) -> Edit:
    """The import as one edit (one commit, one audit entry), made on the organisation as it is now."""
    org, about = load(raw, current)
    return Edit(org=org, action="import", subject=f"Organisation:import-{about['format']}",
                before=current.counts(), after={**org.counts(), "changes": diff(current, org), "files": about["files"]},
                base=current)


# --- export -----------------------------------------------------------------------------------

_MEDIA = {"json": "application/json", "yaml": "application/yaml", "case": "application/json", "csv": "application/zip"}


def export(org: Organisation, fmt: str) -> tuple[bytes, str]:
    """(bytes, file name) of ``org`` in ``fmt``; csv is a zip of the folder."""
    if fmt not in transfer.WRITERS:
        raise BadInput(f"format: '{fmt}' is not one of {', '.join(transfer.WRITERS)}.")
    with tempfile.TemporaryDirectory(prefix="trellis-export-") as tmp:
        if fmt == "csv":
            folder = Path(tmp) / "sheets"
            transfer.write(org, folder, "csv")
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in sorted(folder.glob("*.csv")):
                    archive.write(file, file.name)
            return buffer.getvalue(), "trellis-sheets.zip"
        name = {"json": "trellis.json", "yaml": "trellis.yaml", "case": "trellis-case.json"}[fmt]
        path = Path(tmp) / name
        transfer.write(org, path, fmt)
        return path.read_bytes(), name


# --- the routes -------------------------------------------------------------------------------


def transfer_routes(secret: str) -> list[Route]:
    def hr(request: Request) -> Viewer:
        token = bearer(request.headers.get("authorization"))
        if not token:
            raise Unauthenticated("Sign in as HR to import or export the organisation.")
        viewer = read_token(secret, token)
        if viewer.access is not Access.HR:
            raise Forbidden("Only HR may import or export the organisation.")
        return viewer

    async def body(request: Request) -> bytes:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY:
            raise TooLarge(f"The upload is larger than {MAX_BODY // 2**20} MB.")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind and kind != "application/json":
            raise Unsupported('Send the files as JSON (content-type: application/json): '
                              '{"format": ..., "files": [{"name": ..., "content": ...}]}.')
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise TooLarge(f"The upload is larger than {MAX_BODY // 2**20} MB.")
            chunks.append(chunk)
        return b"".join(chunks)

    def guarded(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except TrellisError as exc:
                return _error(exc)
        return run

    async def preview_route(request: Request) -> Response:
        hr(request)
        raw = await body(request)
        engine: Engine = request.app.state.engine
        proj = await anyio.to_thread.run_sync(engine.projection)
        return JSONResponse(await anyio.to_thread.run_sync(preview, raw, proj.org))

    async def import_route(request: Request) -> Response:
        viewer = hr(request)
        raw = await body(request)
        engine: Engine = request.app.state.engine

        def apply() -> dict[str, Any]:
            done = engine.apply(import_edit, raw, actor=viewer.person_id, access=viewer.access.value)
            assert done.base is not None
            return {"applied": True, "changes": diff(done.base, done.org), "counts": done.org.counts()}

        return JSONResponse(await anyio.to_thread.run_sync(apply))

    async def export_route(request: Request) -> Response:
        hr(request)
        fmt = request.query_params.get("format", "json")
        engine: Engine = request.app.state.engine
        proj = await anyio.to_thread.run_sync(engine.projection)
        data, name = await anyio.to_thread.run_sync(export, proj.org, fmt)
        return Response(data, media_type=_MEDIA[fmt],
                        headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"})

    return [Route("/api/import/preview", guarded(preview_route), methods=["POST"]),
            Route("/api/import", guarded(import_route), methods=["POST"]),
            Route("/api/export", guarded(export_route), methods=["GET"])]
