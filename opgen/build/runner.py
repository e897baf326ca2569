"""Running a package's build (its Makefile, or CMake) and reporting each compile unit.

How the units are seen: the compiler is wrapped. `CXX` becomes `sh <wrapper> <the compiler>` for
make (CMake gets the wrapper as its compiler and linker launcher). The wrapper runs the
compiler with its stderr in a file of its own and then prints one marker line on stdout: the
exit status and the file. Make echoes commands on stdout too, and that stream is never shown, so
the user sees each unit's messages whole (never two units interleaved under `-j`) and no
command line. Before the build, a dry run (`make -n`) lists the units that are out of date,
which gives the progress bar its total. Make's own messages (stderr) pass through, less the
`*** [target] Error 1` lines that only repeat a failure already shown.
"""

from __future__ import annotations

import os
import queue
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from opgen.build import diagnostics
from opgen.build.diagnostics import PathDisplay, Report
from opgen.build.package import CMAKE_BINARY_DIR, CMAKE_PRESET, Package

#: Runs a compiler with its stderr kept for opgen (see the module docstring); without
#: OPGEN_BUILD_LOGS (a CMake build tree configured by `opgen build --cmake`, then built by
#: hand) it is just the compiler.
WRAPPER = """#!/bin/sh
# opgen build's compiler wrapper: runs "$@", keeping its stderr for opgen build to show.
[ -n "$OPGEN_BUILD_LOGS" ] || exec "$@"
log=$(mktemp "$OPGEN_BUILD_LOGS/unit.XXXXXX") || exec "$@"
{ pwd; printf '%s\\n' "$@"; } >"$log.args"
"$@" 2>"$log"
status=$?
printf '\\036opgen-unit %s %s\\n' "$status" "$log"
exit $status
"""
MARKER = "\x1eopgen-unit "
SOURCE_SUFFIXES = (".c", ".cc", ".cpp", ".cxx", ".c++", ".S", ".s")
#: Options whose value is a file but not a source.
_VALUE_OPTIONS = {"-o", "-MF", "-MT", "-MQ", "-include", "-imacros", "-x"}
#: Variables of an enclosing make that must not leak into the package's own build.
_PARENT_MAKE = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "OPGEN_BUILD_LOGS")


class ToolMissing(Exception):
    """make, cmake or a compiler is not installed (the message says which and what to do)."""


@dataclass(frozen=True)
class Unit:
    """One compiler run: a compilation (its sources) or a link (no sources)."""

    sources: tuple[str, ...]
    """As the user should read them (see diagnostics.PathDisplay)."""
    status: int
    report: Report

    @property
    def label(self) -> str:
        return ", ".join(self.sources) if self.sources else "link"


class Listener(Protocol):
    """Receives the build as it happens (the CLI draws progress from it)."""

    def planned(self, total: int) -> None: ...

    def finished(self, unit: Unit) -> None: ...

    def message(self, line: str) -> None: ...


@dataclass(frozen=True)
class Outcome:
    returncode: int
    units: tuple[Unit, ...]
    messages: tuple[str, ...]
    """What make, CMake or an unwrapped compiler said on stderr (already filtered)."""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def compiler() -> str:
    """The compiler the package Makefiles would pick: $CXX, else clang++ when installed,
    else g++."""
    chosen = os.environ.get("CXX", "").strip()
    if chosen:
        try:
            program = shlex.split(chosen)[0]
        except (ValueError, IndexError):
            program = chosen.split()[0]
        if shutil.which(program) is None:
            raise ToolMissing(f"CXX={chosen}: '{program}' is not installed or not on PATH")
        return chosen
    for candidate in ("clang++", "g++"):
        if shutil.which(candidate) is not None:
            return candidate
    raise ToolMissing(
        "no C++ compiler found: install g++ or clang++, or set CXX to the compiler to use"
    )


def make_program() -> str:
    found = shutil.which("make")
    if found is None:
        raise ToolMissing("make is not installed: opgen build runs the package's Makefile")
    return found


def cmake_program() -> str:
    """The cmake next to this Python first (the `cmake` wheel in opgen's environment), then
    the one on PATH."""
    beside = Path(sys.executable).parent / "cmake"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("cmake")
    if found is None:
        raise ToolMissing(
            "cmake is not installed: `pip install cmake` (or your system's package), or build "
            "with make (drop --cmake)"
        )
    return found


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _PARENT_MAKE}
    env.update(extra)
    return env


@contextmanager
def _workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="opgen-build-") as tmp:
        root = Path(tmp)
        (root / "logs").mkdir()
        wrapper = root / "cxx-wrapper.sh"
        wrapper.write_text(WRAPPER, encoding="utf-8")
        yield root


def build_make(
    package: Package, targets: Sequence[str], jobs: int, listener: Listener, paths: PathDisplay
) -> Outcome:
    """`make -jJOBS TARGETS` in the package, through the compiler wrapper."""
    make = make_program()
    cxx = compiler()
    with _workspace() as root:
        wrapper = str(root / "cxx-wrapper.sh")
        env = _clean_env(CXX=f"sh {shlex.quote(wrapper)} {cxx}")
        dry = _run_quiet([make, "-n", *targets], package.directory, env)
        if dry.returncode != 0:
            return _failed_before_build(dry, package.directory, paths)
        listener.planned(_count_units(dry.stdout, wrapper))
        env["OPGEN_BUILD_LOGS"] = str(root / "logs")
        command = [make, f"-j{jobs}", *targets]
        return _stream(command, package.directory, env, listener, paths)


def build_cmake(package: Package, jobs: int, listener: Listener, paths: PathDisplay) -> Outcome:
    """`cmake --preset host` then `cmake --build`, with the wrapper as compiler launcher."""
    cmake = cmake_program()
    make_program()  # the presets use CMake's default generator, Unix Makefiles
    compiler()
    binary = package.directory / CMAKE_BINARY_DIR
    binary.mkdir(parents=True, exist_ok=True)
    # The launcher stays in the build tree: CMake keeps its path in the cache.
    wrapper = binary / "opgen-cxx-wrapper.sh"
    if not wrapper.is_file() or wrapper.read_text(encoding="utf-8") != WRAPPER:
        wrapper.write_text(WRAPPER, encoding="utf-8")
    wrapper.chmod(0o755)
    with _workspace() as root:
        env = _clean_env()
        configure = [
            cmake,
            "--preset",
            CMAKE_PRESET,
            f"-DCMAKE_CXX_COMPILER_LAUNCHER={wrapper}",
            f"-DCMAKE_CXX_LINKER_LAUNCHER={wrapper}",
        ]
        done = _run_quiet(configure, package.directory, env)
        if done.returncode != 0:
            return _failed_before_build(done, package.directory, paths, show_stdout=True)
        dry = _run_quiet([cmake, "--build", str(binary), "--", "-n"], package.directory, env)
        listener.planned(_count_units(dry.stdout, str(wrapper)) if dry.returncode == 0 else 0)
        env["OPGEN_BUILD_LOGS"] = str(root / "logs")
        command = [cmake, "--build", str(binary), "-j", str(jobs)]
        return _stream(command, package.directory, env, listener, paths)


def _run_quiet(
    command: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, errors="replace", check=False
    )


def _failed_before_build(
    result: subprocess.CompletedProcess[str],
    cwd: Path,
    paths: PathDisplay,
    show_stdout: bool = False,
) -> Outcome:
    text = (result.stdout if show_stdout else "") + result.stderr
    lines = [line for line in _make_messages(text.splitlines())]
    report = diagnostics.parse("\n".join(lines), cwd, paths)
    return Outcome(result.returncode or 1, (), report.lines)


def _sources(args: Sequence[str]) -> list[str]:
    found = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-") and arg.endswith(SOURCE_SUFFIXES):
            found.append(arg)
    return found


def _count_units(dry_run: str, wrapper: str) -> int:
    """Compile commands (the wrapper with sources) among a dry run's echoed commands."""
    total = 0
    for line in dry_run.splitlines():
        if wrapper not in line:
            continue
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        if wrapper in words and _sources(words[words.index(wrapper) + 1 :]):
            total += 1
    return total


def _make_messages(lines: Sequence[str]) -> Iterator[str]:
    """Make's stderr less what only repeats a failure (`*** [obj/x.o] Error 1`)."""
    for line in lines:
        text = line.rstrip()
        if not text:
            continue
        if "*** [" in text and "] Error " in text:
            continue
        if text.endswith("*** Waiting for unfinished jobs...."):
            continue
        if text.startswith(("gmake", "make")) and "Leaving directory" in text:
            continue
        yield text


def _read_unit(marker: str, paths: PathDisplay) -> Unit:
    status_text, _, log_name = marker[len(MARKER) :].partition(" ")
    log = Path(log_name)
    args_lines = Path(f"{log}.args").read_text(encoding="utf-8", errors="replace").splitlines()
    ran_in = Path(args_lines[0]) if args_lines else Path.cwd()
    stderr = log.read_text(encoding="utf-8", errors="replace")
    sources = tuple(paths.show(s, ran_in) for s in _sources(args_lines[1:]))
    return Unit(sources, int(status_text), diagnostics.parse(stderr, ran_in, paths))


def _pump(stream: IO[str], tag: str, sink: queue.Queue[tuple[str, str | None]]) -> None:
    for line in stream:
        sink.put((tag, line.rstrip("\n")))
    sink.put((tag, None))


def _stream(
    command: list[str], cwd: Path, env: dict[str, str], listener: Listener, paths: PathDisplay
) -> Outcome:
    units: list[Unit] = []
    messages: list[str] = []
    events: queue.Queue[tuple[str, str | None]] = queue.Queue()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        readers = [
            threading.Thread(target=_pump, args=(process.stdout, "out", events), daemon=True),
            threading.Thread(target=_pump, args=(process.stderr, "err", events), daemon=True),
        ]
        for reader in readers:
            reader.start()
        open_streams = 2
        while open_streams:
            tag, line = events.get()
            if line is None:
                open_streams -= 1
            elif tag == "out":
                if line.startswith(MARKER):
                    unit = _read_unit(line, paths)
                    units.append(unit)
                    listener.finished(unit)
            else:
                _on_stderr(line, cwd, paths, messages, listener.message)
        returncode = process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait()
    return Outcome(returncode, tuple(units), tuple(messages))


def _on_stderr(
    line: str, cwd: Path, paths: PathDisplay, messages: list[str], emit: Callable[[str], None]
) -> None:
    for kept in _make_messages([line]):
        for shown in diagnostics.parse(kept, cwd, paths).lines:
            messages.append(shown)
            emit(shown)
