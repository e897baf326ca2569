"""Start-up: generating and validating import nothing they do not use (numpy, pyopencl, onnx,
and for configs without rules the rule grammar and the converter)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from opgen import cli
from tests import factories as f

# The rule grammar and the converter too: configs without rules (as here) need neither.
HEAVY = (
    "numpy",
    "pyopencl",
    "onnx",
    "opgen.runtime",
    "opgen.shapes.ast",
    "opgen.converter",
    "cookiecutter",
    "xmlschema",
)

# Runs a command's entry point, then reports (at exit, after click's sys.exit) which of HEAVY
# the process imported.
WRAPPER = """
import atexit, os, sys
HEAVY = {heavy!r}
def report():
    loaded = [m for m in HEAVY if m in sys.modules]
    os.write(2, ("LOADED " + ",".join(loaded) + "\\n").encode())
atexit.register(report)
from opgen.cli import {entry}
sys.argv[0] = {prog!r}
{entry}()
"""


def run_entry(entry: str, prog: str, *args: str) -> tuple[int, list[str], str]:
    code = WRAPPER.format(heavy=HEAVY, entry=entry, prog=prog)
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60
    )
    marker = [line for line in done.stderr.splitlines() if line.startswith("LOADED ")]
    assert len(marker) == 1, done.stderr
    loaded = [m for m in marker[0].removeprefix("LOADED ").split(",") if m]
    return done.returncode, loaded, done.stdout


@pytest.fixture(scope="module")
def small_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("startup") / "Small.xml"
    path.write_text(f.config("SmallPkg", [f.op("Small")]), encoding="utf-8")
    return path


def test_opgen_help_imports_no_runtime() -> None:
    code, loaded, out = run_entry("opgen_main", "opgen", "--help")
    assert code == 0
    assert "info " in out and "run " in out  # the lazy commands are still listed
    assert loaded == []


def test_opgen_validate_imports_no_runtime(small_config: Path) -> None:
    code, loaded, out = run_entry("opgen_main", "opgen", "validate", str(small_config))
    assert code == 0
    assert out.startswith("SmallPkg:")
    assert loaded == []


@pytest.mark.parametrize("backend", ["CPU", "GPU", "HTP"])
def test_vendor_generator_imports_no_runtime(tmp_path: Path, backend: str) -> None:
    config = tmp_path / "Gen.xml"
    config.write_text(f.config("GenPkg", [f.op("Gen", backend=backend)]), encoding="utf-8")
    out = tmp_path / "out"
    code, loaded, _ = run_entry(
        "vendor_main", "qnn-op-package-generator", "-p", str(config), "-o", str(out)
    )
    assert code == 0
    assert (out / "GenPkg").is_dir()
    assert loaded == []


def test_opgen_info_help_loads_the_runtime_command() -> None:
    # The wrapper's own check can fail: a command that needs the runtime does import it.
    code, loaded, out = run_entry("opgen_main", "opgen", "info", "--help")
    assert code == 0
    assert "Usage: opgen info" in out
    assert "opgen.runtime" in loaded


@pytest.mark.parametrize("name", sorted(cli._LAZY_COMMANDS))
def test_lazy_command_listing_matches_the_real_command(name: str) -> None:
    real = cli.opgen_main.get_command(click.Context(cli.opgen_main), name)
    assert real is not None
    stand_in = click.Command(name, help=cli._LAZY_COMMANDS[name][1])
    for limit in range(10, 200, 7):
        assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit)


GENERATION_ONLY = ("jinja2", "opgen.render", "opgen.writer", "opgen.generate")


@pytest.mark.parametrize("args", [["--help"], ["validate"]])
def test_help_and_validate_load_no_templates_or_writer(small_config: Path, args: list[str]) -> None:
    argv = [*args, str(small_config)] if args == ["validate"] else args
    code = WRAPPER.replace("HEAVY = {heavy!r}", f"HEAVY = {GENERATION_ONLY!r}").format(
        entry="opgen_main", prog="opgen"
    )
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "LOADED \n" in done.stderr  # none of them


CONFIG_LAYER = ("opgen.config", "opgen.model", "lxml")


def test_help_reads_no_config_code() -> None:
    """`opgen --help` lists commands: the config layer, the model and lxml load with a command."""
    code = WRAPPER.replace("HEAVY = {heavy!r}", f"HEAVY = {CONFIG_LAYER!r}").format(
        entry="opgen_main", prog="opgen"
    )
    done = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "LOADED \n" in done.stderr, done.stderr
    assert "validate" in done.stdout


def test_the_public_names_load_on_first_use() -> None:
    import opgen

    assert opgen.load_packages.__module__.startswith("opgen.config")
    assert opgen.Backend.CPU.value == "CPU"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = opgen.nothing  # type: ignore[attr-defined]
