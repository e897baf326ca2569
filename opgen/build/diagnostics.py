"""A compiler's stderr as the user wants to read it: gcc/clang diagnostics with their context,
file names as paths the user can open, and the drivers' noise left out.

What is kept: `file:line[:col]: error|warning|note: ...` lines, the lines that belong to them
(the quoted source and caret, `In function ...`, `In file included from ...`, `required from
here`), linker messages and driver errors. What is dropped: clang's `N errors generated.`, gcc's
`compilation terminated.`, and the drivers' "linker failed" lines that only repeat the exit
status. Command lines never reach stderr (make echoes them on stdout), so nothing here hides one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: `file:line[:col]:` at the start of a line (diagnostics, `required from here` notes).
_LOCATED = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<pos>\d+(?::\d+)?):(?P<rest>.*)$")
#: gcc's scope lines (`f.cpp: In function 'int g()':`, `f.cpp: At global scope:`).
_SCOPE = re.compile(r"^(?P<file>[^\s:][^:]*): (?P<rest>(?:In |At ).*)$")
#: `In file included from f.hpp:3:` and gcc's continuation `                 from g.cpp:5,`.
_INCLUDED = re.compile(r"^(?P<lead>In file included from |\s+from )(?P<file>[^:]+)(?P<rest>:.*)$")
_LEVEL = re.compile(r"^ (?P<level>fatal error|error|warning|note): ")
_DRIVER_ERROR = re.compile(r"^\S+: (?:fatal )?error: ")
_NOISE = re.compile(
    r"^(?:\d+ (?:errors?|warnings?)(?: and \d+ (?:errors?|warnings?))? generated\."
    r"|compilation terminated\."
    r"|collect2: error: ld returned \d+ exit status"
    r"|\S*clang(?:\+\+)?(?:-\d+)?: error: linker command failed with exit code \d+.*)$"
)


@dataclass(frozen=True)
class Location:
    file: str
    line: int


@dataclass(frozen=True)
class Report:
    """One compiler run's messages, ready to print."""

    lines: tuple[str, ...]
    errors: int
    warnings: int
    first_error: Location | None
    """Where the first `error:` diagnostic points, if any has a file and line."""


class PathDisplay:
    """Turns a file name a compiler printed (relative to the directory it ran in) into the
    path to show: relative to the user's working directory when it lies inside it, else
    absolute. Names that are no file (`<command-line>`) stay as printed."""

    def __init__(self, cwd: Path | None = None) -> None:
        self._cwd = (cwd or Path.cwd()).resolve()

    def show(self, name: str, ran_in: Path) -> str:
        path = Path(name)
        full = path if path.is_absolute() else ran_in / path
        if not full.exists():
            return name
        full = Path(os.path.normpath(full))
        try:
            return full.relative_to(self._cwd).as_posix()
        except ValueError:
            return full.as_posix()


def parse(text: str, ran_in: Path, paths: PathDisplay) -> Report:
    """The report of one compiler's stderr `text`; it ran in `ran_in`."""
    lines: list[str] = []
    errors = warnings = 0
    first: Location | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or _NOISE.match(line):
            continue
        if match := _LOCATED.match(line):
            shown = paths.show(match["file"], ran_in)
            lines.append(f"{shown}:{match['pos']}:{match['rest']}")
            level = _LEVEL.match(match["rest"])
            if level and level["level"] in ("error", "fatal error"):
                errors += 1
                if first is None:
                    first = Location(shown, int(match["pos"].split(":")[0]))
            elif level and level["level"] == "warning":
                warnings += 1
        elif match := _SCOPE.match(line):
            lines.append(f"{paths.show(match['file'], ran_in)}: {match['rest']}")
        elif match := _INCLUDED.match(line):
            lines.append(f"{match['lead']}{paths.show(match['file'], ran_in)}{match['rest']}")
        else:
            if _DRIVER_ERROR.match(line):
                errors += 1
            lines.append(line)
    return Report(tuple(lines), errors, warnings, first)


def merge(reports: Iterable[Report]) -> Report:
    reports = list(reports)
    first = next((r.first_error for r in reports if r.first_error is not None), None)
    return Report(
        tuple(line for r in reports for line in r.lines),
        sum(r.errors for r in reports),
        sum(r.warnings for r in reports),
        first,
    )
