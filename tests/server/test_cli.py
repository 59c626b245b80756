"""The ``trellis`` command on both stores: import and export in every format (lossless
round trips), bad files rejected with every problem and nothing written, checks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.document import from_document, to_document
from graph.seeds import SAMPLE_DIR, sample_organisation
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from server.cli import main
from tests.conftest import open_store


@pytest.fixture(params=["embedded", "neo4j"])
def env(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Points the CLI at an empty store of each kind; yields a function that opens that store."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("TRELLIS_DATA", str(tmp_path / "store.json"))
    if request.param == "neo4j":
        open_store("neo4j", tmp_path, request).close()       # wipes it
        server = request.getfixturevalue("neo4j_server")
        monkeypatch.setenv("NEO4J_URI", server.uri)
        monkeypatch.setenv("NEO4J_PASSWORD", server.password)

        def opener() -> Any:
            return Neo4jStore(server.uri, "neo4j", server.password)
    else:
        def opener() -> Any:
            return EmbeddedStore(tmp_path / "store.json", seed=False)
    yield opener


def content(opener: Any) -> Any:
    store = opener()
    try:
        return store.organisation(), store.version()
    finally:
        store.close()


def test_json_csv_and_yaml_round_trips(env: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(SAMPLE_DIR)]) == 0
    assert "Imported" in capsys.readouterr().out
    assert content(env)[0] == sample_organisation()
    assert main(["export", str(tmp_path / "org.json")]) == 0
    assert main(["export", str(tmp_path / "csv"), "--format", "csv"]) == 0
    assert from_document(json.loads((tmp_path / "org.json").read_text())) == sample_organisation()
    assert main(["import", str(tmp_path / "csv")]) == 0                      # the spreadsheets HR keeps
    assert content(env)[0] == sample_organisation()
    assert main(["import", str(tmp_path / "org.json")]) == 0
    assert content(env)[0] == sample_organisation()
    assert main(["export", str(tmp_path / "org.yaml")]) == 0                  # the extension says YAML
    assert "(yaml)" in capsys.readouterr().out
    assert from_document(yaml.load((tmp_path / "org.yaml").read_text(), Loader=yaml.CSafeLoader)) == sample_organisation()
    assert main(["import", str(tmp_path / "org.yaml")]) == 0
    assert content(env)[0] == sample_organisation()


def test_case_replaces_the_framework_and_keeps_the_rest(env: Any, tmp_path: Path) -> None:
    assert main(["seed"]) == 0
    assert main(["export", str(tmp_path / "case.json"), "--format", "case"]) == 0
    pkg = json.loads((tmp_path / "case.json").read_text())
    assert {"CFDocument", "CFItems", "CFAssociations", "CFRubrics"} <= set(pkg)
    assert main(["import", str(tmp_path / "case.json")]) == 0
    org, _ = content(env)
    assert org == sample_organisation()        # lossless for the framework; roles, people kept
    doc = json.loads((tmp_path / "case.json").read_text())
    doc["CFItems"] = [i for i in doc["CFItems"] if i.get("humanCodingScheme") != "testing"]
    (tmp_path / "smaller.json").write_text(json.dumps(doc))
    assert main(["import", str(tmp_path / "smaller.json")]) == 2   # roles still require 'testing'


def test_bad_files_list_every_problem_and_write_nothing(env: Any, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed"]) == 0
    _, version = content(env)
    doc = to_document(sample_organisation())
    doc["roles"][0]["requires"][0]["level"] = 9
    doc["roles"][1]["requires"][0]["competency"] = "telepathy"
    doc["people"][0]["role"] = "astronaut"
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    (tmp_path / "broken.json").write_text('{"framework": {"id": ')
    capsys.readouterr()
    assert main(["import", str(tmp_path / "bad.json")]) == 2
    err = capsys.readouterr().err
    assert "error [BAD_INPUT]" in err and "3 problems" in err
    assert "roles[0].requires[0].level: must be between 1 and 5, not 9" in err
    assert "unknown competency 'telepathy'" in err and "unknown role 'astronaut'" in err
    assert main(["import", str(tmp_path / "broken.json")]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    csv = tmp_path / "csv"
    assert main(["export", str(csv), "--format", "csv"]) == 0
    lines = (csv / "requirements.csv").read_text().splitlines()
    cells = lines[1].split(",")
    first = next(i for i, c in enumerate(cells) if i and c)
    cells[first] = "7"
    (csv / "requirements.csv").write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n")
    capsys.readouterr()
    assert main(["import", str(csv)]) == 2
    assert "requirements.csv line 2" in capsys.readouterr().err
    assert content(env)[1] == version          # nothing was written


def test_check(env: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0
    assert "0 errors" in capsys.readouterr().out
    EmbeddedStore(tmp_path / "other.json", seed=True).close()
    assert main(["check", str(tmp_path / "other.json")]) == 0     # a store file Trellis wrote reads as a document
    assert "0 errors" in capsys.readouterr().out


def test_token_says_when_the_person_is_unknown(env: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import jwt
    monkeypatch.setenv("TRELLIS_SECRET", "s" * 40)
    assert main(["seed"]) == 0
    capsys.readouterr()
    assert main(["token", "--person", "priya-raman", "--role", "EMPLOYEE"]) == 0
    out = capsys.readouterr()
    assert out.err == "" and jwt.decode(out.out.strip(), "s" * 40, algorithms=["HS256"])["sub"] == "priya-raman"
    assert main(["token", "--person", "priya-ramen", "--role", "EMPLOYEE"]) == 0      # issued, with a warning
    out = capsys.readouterr()
    assert "the store holds no person 'priya-ramen'" in out.err
    assert jwt.decode(out.out.strip(), "s" * 40, algorithms=["HS256"])["sub"] == "priya-ramen"


def test_no_stack_traces_for_odd_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("TRELLIS_DATA", str(tmp_path / "store.json"))
    (tmp_path / "list.json").write_text("[]")
    (tmp_path / "empty.json").write_text("{}")
    assert main(["import", str(tmp_path / "list.json")]) == 2
    assert "a JSON object, not a list" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "empty.json")]) == 2
    assert "nothing to import" in capsys.readouterr().err
    assert not (tmp_path / "store.json").exists()          # refused imports leave not even an empty store
    for command in (["export", str(tmp_path / "x.json")], ["check"]):   # a mistyped --data creates nothing
        assert main(command) == 2
        assert f"There is no store at {tmp_path / 'store.json'}" in capsys.readouterr().err
    assert not (tmp_path / "store.json").exists() and not (tmp_path / "x.json").exists()
    assert main(["seed"]) == 0
    assert main(["export", str(tmp_path / "no" / "such" / "dir" / "x.json")]) == 2
    assert "No such file or directory" in capsys.readouterr().err
    for flag, value, words in (("--roles", "0", "--roles must be between 1 and 100,000, not 0"),
                               ("--people", "-1", "--people must be between 0 and 2,000,000, not -1"),
                               ("--competencies", "100000000", "not 100,000,000")):
        assert main(["generate", flag, value, "--out", str(tmp_path / "g.json")]) == 2
        assert words in capsys.readouterr().err and not (tmp_path / "g.json").exists()
    assert main(["serve", "--port", "99999"]) == 2
    assert "--port must be between 1 and 65535 (not 99999)" in capsys.readouterr().err
    assert main(["token", "--person", "x", "--role", "HR", "--ttl", "-5"]) == 2
    assert "--ttl must be at least 1" in capsys.readouterr().err
    monkeypatch.setenv("TRELLIS_READY_NOW", "0.5")
    monkeypatch.setenv("TRELLIS_READY_SOON", "0.9")
    monkeypatch.setenv("TRELLIS_UPSKILL", "7")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "upskill must be between 0 and 1, not 7.0" in err and "ready_now (0.5) must not be below ready_soon (0.9)" in err


def test_generate_with_more_requirements_per_role(tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    assert main(["generate", "--roles", "40", "--competencies", "60", "--people", "10", "--requirements", "20",
                 "--out", str(out)]) == 0
    counts = [len(r["requires"]) for r in json.loads(out.read_text())["roles"]]
    assert len(counts) == 40 and all(15 <= n <= 25 for n in counts)        # 20 ± 20 // 4
    assert 17 <= sum(counts) / len(counts) <= 23
    assert main(["generate", "--competencies", "10", "--requirements", "11"]) == 2
