"""Test-only fault injection: make the writer die, stall or fail at its N-th file operation.

`OPGEN_TEST_FAULT` is read once per run and does nothing when unset. It exists so that the tests
can kill a generation at an exact point of its transaction instead of hoping a timer lands there:

- `kill@N`: SIGKILL the process just before file operation N (1-based);
- `fail@N:ERRNO`: raise OSError(ERRNO) (for example ENOSPC) for operation N, naming its path;
- `pause@N:PATH`: before operation N, create `PATH.paused` and wait until `PATH` exists;
- `count:PATH`: write, to `PATH`, the number of file operations of a successful run and the
  number of the operation that was its (last) commit point.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

ENV = "OPGEN_TEST_FAULT"


@dataclass
class Faults:
    """Counts file operations (the one mutable piece of a run) and fires the configured fault."""

    mode: str = ""
    at: int = 0
    arg: str = ""
    count: int = 0
    commit_at: int = 0

    @classmethod
    def from_env(cls) -> Faults:
        spec = os.environ.get(ENV, "")
        if spec.startswith("count:"):
            return cls("count", 0, spec[len("count:") :])
        mode, _, rest = spec.partition("@")
        if mode not in ("kill", "fail", "pause"):
            return cls()
        at, _, arg = rest.partition(":")
        return cls(mode, int(at), arg) if at.isdigit() else cls()

    def step(self, path: Path | str) -> None:
        """Called before every file operation of a transaction, with the path it is about."""
        self.count += 1
        if self.count != self.at:
            return
        if self.mode == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif self.mode == "fail":
            code = getattr(errno, self.arg, errno.EIO)
            raise OSError(code, os.strerror(code), str(path))
        elif self.mode == "pause":
            Path(self.arg + ".paused").write_text(f"{os.getpid()}\n")
            while not os.path.exists(self.arg):
                time.sleep(0.02)

    def committed(self) -> None:
        self.commit_at = self.count

    def finish(self) -> None:
        if self.mode == "count":
            Path(self.arg).write_text(f"{self.count} {self.commit_at}\n")
