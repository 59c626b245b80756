"""An installed ``trellis`` works outside a checkout: the wheel carries the site and the sample organisation."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_wheel_serves_the_site_and_the_sample_outside_a_checkout(tmp_path: Path) -> None:
    had_build = (ROOT / "build").exists()
    try:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"),
                        str(ROOT)], check=True, capture_output=True, timeout=240)
    finally:
        if not had_build:
            shutil.rmtree(ROOT / "build", ignore_errors=True)
    wheel = next((tmp_path / "dist").glob("trellis-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    site = {p.relative_to(ROOT / "site").as_posix() for p in (ROOT / "site").rglob("*") if p.is_file()}
    assert {f"server/site/{p}" for p in site} <= names
    assert {f"graph/sample/{p.name}" for p in (ROOT / "seeds" / "sample").glob("*.yaml")} <= names
    assert "server/schema.graphql" in names

    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, timeout=240)
    probe = ("import graph.seeds as s, server.app as a; "
             "print(s.SAMPLE_DIR.is_relative_to(%r), a.SITE_DIR.is_relative_to(%r), "
             "len(s.sample_organisation().roles))" % (str(target), str(target)))
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env={"PYTHONPATH": str(target)},
                         check=True, capture_output=True, text=True, timeout=120).stdout.split()
    from graph.seeds import sample_organisation

    assert out == ["True", "True", str(len(sample_organisation().roles))]
