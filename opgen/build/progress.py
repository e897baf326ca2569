"""Showing a build as it runs: a progress bar on a terminal, one line per unit otherwise.

Compiler messages are printed whole as each unit finishes (above the bar, which is redrawn
below them). Everything goes to the given stream (stderr): stdout keeps the results.
"""

from __future__ import annotations

import shutil
from typing import TextIO

from opgen.build.runner import Unit
from opgen.escaping import terminal_text

BAR_WIDTH = 24


class Progress:
    """A runner.Listener that draws. `tty` chooses the bar (redrawn in place) over lines."""

    def __init__(self, stream: TextIO, label: str, tty: bool) -> None:
        self._stream = stream
        self._label = label
        self._tty = tty
        self._total = 0
        self._done = 0
        self._bar_shown = False
        self._current = ""
        self.errors = 0
        self.warnings = 0

    # ---- runner.Listener -------------------------------------------------------------------

    def planned(self, total: int) -> None:
        self._total = total
        if total == 0:
            return
        if self._tty:
            self._redraw()
        else:
            self._write([f"building {self._label}: {total} compile unit(s)"])

    def finished(self, unit: Unit) -> None:
        self.errors += unit.report.errors
        self.warnings += unit.report.warnings
        self._write(unit.report.lines)
        if not unit.sources:  # a link: its messages, but no step of the bar
            self._redraw()
            return
        self._done += 1
        self._total = max(self._total, self._done)
        if self._tty:
            self._current = unit.label
            self._redraw()
        else:
            failed = "  FAILED" if unit.status != 0 else ""
            width = len(str(self._total))
            self._write([f"[{self._done:>{width}}/{self._total}] {unit.label}{failed}"])

    def message(self, line: str) -> None:
        self._write([line])
        self._redraw()

    # ---- drawing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Leaves the terminal's cursor on a fresh line."""
        if self._bar_shown:
            self._stream.write("\n")
            self._stream.flush()
            self._bar_shown = False

    def _write(self, lines: tuple[str, ...] | list[str]) -> None:
        """Lines above the bar (which is taken down first and redrawn by _redraw)."""
        if not lines:
            return
        if self._bar_shown:
            self._stream.write("\r\x1b[K")
            self._bar_shown = False
        for line in lines:
            self._stream.write(terminal_text(line) + "\n")
        self._stream.flush()

    def _redraw(self) -> None:
        if not self._tty or self._total == 0:
            return
        filled = BAR_WIDTH * self._done // self._total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        text = f"{self._label} [{bar}] {self._done}/{self._total}"
        if self._current:
            text += f" {self._current}"
        columns = shutil.get_terminal_size((80, 24)).columns
        self._stream.write("\r\x1b[K" + terminal_text(text)[: max(columns - 1, 10)])
        self._stream.flush()
        self._bar_shown = True
