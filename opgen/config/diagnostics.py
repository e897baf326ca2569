"""Diagnostics: problems found in configs, collected as values and printed gcc-style at the edge."""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from opgen.escaping import terminal_text
from opgen.model import SourceLocation


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    file: Path
    line: int
    column: int
    message: str
    hint: str | None = None

    def format(self) -> str:
        # Messages quote config text: keep each diagnostic one inert line on a terminal.
        message = terminal_text(self.message)
        text = f"{terminal_text(str(self.file))}:{self.line}:{self.column}: "
        text += f"{self.level.value}: {message}"
        if self.hint:
            text += f" ({terminal_text(self.hint)})"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "level": self.level.value,
            "file": str(self.file),
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


class Diagnostics:
    """An ordered collector. Identical diagnostics are kept once (checks run per backend view)."""

    def __init__(self) -> None:
        self._items: dict[Diagnostic, None] = {}

    def add(
        self, level: Level, where: SourceLocation, message: str, hint: str | None = None
    ) -> None:
        self._items.setdefault(
            Diagnostic(level, where.file, where.line, where.column, message, hint), None
        )

    def error(self, where: SourceLocation, message: str, hint: str | None = None) -> None:
        self.add(Level.ERROR, where, message, hint)

    def warning(self, where: SourceLocation, message: str, hint: str | None = None) -> None:
        self.add(Level.WARNING, where, message, hint)

    def note(self, where: SourceLocation, message: str) -> None:
        self.add(Level.NOTE, where, message)

    def extend(self, items: Iterable[Diagnostic]) -> None:
        for d in items:
            self._items.setdefault(d, None)

    @property
    def items(self) -> list[Diagnostic]:
        """In file order, then line order; a note stays right after the diagnostic it explains."""
        chunks: list[list[Diagnostic]] = []
        for d in self._items:
            if d.level is Level.NOTE and chunks:
                chunks[-1].append(d)
            else:
                chunks.append([d])
        files: dict[Path, int] = {}
        for chunk in chunks:
            files.setdefault(chunk[0].file, len(files))
        chunks.sort(key=lambda c: (files[c[0].file], c[0].line, c[0].column))
        return [d for chunk in chunks for d in chunk]

    @property
    def has_errors(self) -> bool:
        return any(d.level is Level.ERROR for d in self._items)


class ConfigError(Exception):
    """Raised by the public API when configs have errors; carries every diagnostic found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.level is Level.ERROR]
        summary = f"{len(errors)} error(s) in OpDef config(s)"
        super().__init__(summary + "".join("\n" + d.format() for d in self.diagnostics))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest valid spelling, if one is close enough."""
    options = list(choices)
    upper = {c.upper(): c for c in options}
    if word.upper() in upper:
        return f"did you mean {upper[word.upper()]}?"
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.7)
    if not close:  # a name without its prefix: FLOAT_32 for QNN_DATATYPE_FLOAT_32
        close = [c for c in options if word and c.upper().endswith("_" + word.upper())]
    return f"did you mean {close[0]}?" if len(close) == 1 else None
