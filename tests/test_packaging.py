"""templates/ and schemas/ ship inside the installed package: in a built wheel and in a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from opgen import resources

ROOT = Path(__file__).resolve().parents[1]


def test_checkout_finds_schema_and_templates() -> None:
    assert resources.schema_path().is_file()
    assert resources.templates_dir().is_dir()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("opgen-*.whl")
    return built


def test_wheel_ships_schema_and_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "opgen/_data/schemas/OpDef.xsd" in names
    shipped = {n for n in names if n.startswith("opgen/_data/templates/")}
    expected = {
        "opgen/_data/templates/" + p.relative_to(ROOT / "templates").as_posix()
        for p in (ROOT / "templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected <= shipped


def test_installed_wheel_validates_a_config_outside_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    config = ROOT / "tests" / "configs" / "valid" / "descriptions.xml"
    code = (
        "import sys, opgen, opgen.resources as r;"
        "assert '_data' in str(r.schema_path()), r.schema_path();"
        f"print(len(opgen.load_packages([{str(config)!r}])[0].ops))"
    )
    # -I: isolated mode, so the checkout on sys.path cannot stand in for the wheel.
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
