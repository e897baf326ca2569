"""Compiler messages as opgen build shows them, from real g++ and clang++ runs, and the progress
bar drawn for a terminal."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from opgen.build.diagnostics import PathDisplay, parse
from opgen.build.progress import Progress
from opgen.build.runner import Unit

HEADER = "inline int twice(int x) { return 2 * x + missing_in_header; }\n"
SOURCE = '#include "inc/helper.hpp"\nint f() {\n  int unused = 0;\n  return twice(1);\n}\n'


@pytest.fixture(params=["g++", "clang++"])
def compiled(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    cxx = request.param
    if shutil.which(cxx) is None:
        pytest.skip(f"{cxx} is not installed")
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "helper.hpp").write_text(HEADER)
    (tmp_path / "unit.cpp").write_text(SOURCE)
    result = subprocess.run(
        [cxx, "-Wall", "-Wextra", "-c", "unit.cpp", "-o", "unit.o"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
    )
    assert result.returncode != 0
    return result.stderr, tmp_path


def test_locations_are_paths_from_where_the_user_stands(compiled: tuple[str, Path]) -> None:
    stderr, ran_in = compiled
    report = parse(stderr, ran_in, PathDisplay(ran_in.parent))
    where = ran_in.name
    assert report.errors == 1
    assert report.warnings == 1
    assert report.first_error is not None
    assert (report.first_error.file, report.first_error.line) == (f"{where}/inc/helper.hpp", 1)
    text = "\n".join(report.lines)
    assert f"{where}/unit.cpp:3:" in text  # the warning, in the user's file
    assert f"In file included from {where}/unit.cpp:1" in text
    assert "missing_in_header" in text  # the quoted source line is kept
    assert "generated." not in text and "compilation terminated" not in text


def test_a_file_outside_the_working_directory_is_shown_absolute(
    compiled: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    stderr, ran_in = compiled
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    report = parse(stderr, ran_in, PathDisplay(elsewhere))
    assert report.first_error is not None
    assert report.first_error.file == str(ran_in / "inc" / "helper.hpp")


def test_linker_messages_are_kept_and_the_drivers_summary_dropped(tmp_path: Path) -> None:
    (tmp_path / "main.cpp").write_text("int g();\nint main() { return g(); }\n")
    result = subprocess.run(
        ["g++", "main.cpp", "-o", "main"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode != 0
    report = parse(result.stderr, tmp_path, PathDisplay(tmp_path))
    assert any("undefined reference to" in line for line in report.lines)
    assert not any(line.startswith("collect2") for line in report.lines)


def _unit(source: str, lines: tuple[str, ...] = ()) -> Unit:
    report = parse("\n".join(lines), Path.cwd(), PathDisplay())
    return Unit((source,), 0, report)


def test_the_terminal_bar_is_redrawn_below_the_messages() -> None:
    stream = io.StringIO()
    progress = Progress(stream, "Pkg (CPU), cpu_x86", tty=True)
    progress.planned(2)
    progress.finished(_unit("a.cpp", ("a.cpp:1:1: warning: something [-Wx]",)))
    progress.finished(_unit("b.cpp"))
    progress.close()
    out = stream.getvalue()
    assert out.startswith("\r\x1b[KPkg (CPU), cpu_x86 [" + "-" * 24 + "] 0/2")
    # The message is printed on its own line after the bar is taken down, then the bar returns.
    assert "\r\x1b[Ka.cpp:1:1: warning: something [-Wx]\n\r\x1b[KPkg" in out
    assert out.endswith("[" + "#" * 24 + "] 2/2 b.cpp\n")
    assert (progress.warnings, progress.errors) == (1, 0)


def test_without_a_terminal_each_unit_is_a_line() -> None:
    stream = io.StringIO()
    progress = Progress(stream, "Pkg (CPU), cpu_x86", tty=False)
    progress.planned(2)
    progress.finished(_unit("a.cpp"))
    progress.finished(Unit(("b.cpp",), 1, parse("", Path.cwd(), PathDisplay())))
    progress.close()
    assert stream.getvalue().splitlines() == [
        "building Pkg (CPU), cpu_x86: 2 compile unit(s)",
        "[1/2] a.cpp",
        "[2/2] b.cpp  FAILED",
    ]
    assert "\r" not in stream.getvalue()
