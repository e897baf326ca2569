"""Guarded output buffers: a fill pattern and canary bytes that catch what a kernel got wrong.

Every output a kernel writes lives in the middle of a larger buffer::

    [ canary (guard bytes) | body: the output, pre-filled with FILL_BYTE | canary (guard bytes) ]

Before each execution the canaries and the body are (re)written; after it, a changed canary means
the kernel wrote before the start or past the end of the output (reported, not returned), and a
body that still holds exactly the fill pattern means it never wrote the output. The cost is one
fill and one compare per output byte. A large overrun may crash the process before the check
runs: isolation (the worker process) turns that into an error too.

With ``align`` (HTP: 128, as HVX code expects) the body starts at a multiple of ``align`` bytes
and is followed by the padding that rounds it up to whole ``align`` blocks (at least one)::

    [ canary | body | padding (the kernel may write here) | canary ]

A write into the padding is allowed (whole-vector stores past the logical end); a write beyond
it reaches the canary and is an overrun. "Unwritten" looks at the body only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.runtime.errors import OutputCheckError, OutputOverrun, OutputUnwritten

#: The byte every output is pre-filled with (0xA5: not 0, not -1, no small integer or float).
FILL_BYTE = 0xA5
#: Canary bytes on each side of an output on the host (a 64-byte overrun lands well inside).
GUARD_BYTES = 4096
_CANARY_PATTERN = np.frombuffer(b"\xde\xad\xbe\xef\x5a\xc3\x0f\xf0", dtype=np.uint8)


def _canary(length: int) -> npt.NDArray[np.uint8]:
    reps = -(-length // len(_CANARY_PATTERN))
    return np.tile(_CANARY_PATTERN, reps)[:length]


class GuardedOutput:
    """One output's guarded buffer: ``body`` is the array the kernel writes (its shape, dtype).
    Call :meth:`arm` before each execution (the executors do), then :meth:`check`."""

    def __init__(
        self,
        shape: tuple[int, ...],
        dtype: np.dtype[Any],
        guard_bytes: int = GUARD_BYTES,
        *,
        align: int = 1,
    ) -> None:
        if align < 1 or align & (align - 1):
            raise ValueError(f"align must be a power of two, got {align}")
        # Whole blocks of canary keep the body aligned when the whole buffer is.
        guard_bytes = -(-guard_bytes // align) * align
        self.guard_bytes = guard_bytes
        nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        writable = nbytes if align == 1 else max(align, -(-nbytes // align) * align)
        total = writable + 2 * guard_bytes
        backing = np.empty(total + align - 1, dtype=np.uint8)
        start = (-backing.ctypes.data) % align
        self.raw: npt.NDArray[np.uint8] = backing[start : start + total]
        self._canary = _canary(guard_bytes)
        self._canary_bytes = self._canary.tobytes()
        self._body_bytes = self.raw[guard_bytes : guard_bytes + nbytes]
        #: The bytes the kernel may write: the body and its padding (what the kernel is given).
        self.writable: npt.NDArray[np.uint8] = self.raw[guard_bytes : guard_bytes + writable]
        self.body: npt.NDArray[Any] = self._body_bytes.view(dtype).reshape(shape)

    @property
    def nbytes(self) -> int:
        return int(self._body_bytes.size)

    def arm(self) -> None:
        """Write the canaries and the fill pattern (before each execution)."""
        g = self.guard_bytes
        self.raw[:g] = self._canary
        self.raw[g + self.writable.size :] = self._canary
        self.writable.fill(FILL_BYTE)

    def check(self, *, package: str, op: str, index: int, name: str | None) -> None:
        """Raise :class:`OutputCheckError` for what the kernel got wrong about this output."""
        label = f"output {index}" + (f" '{name}'" if name else "")
        g = self.guard_bytes
        before = self.raw[:g]
        after = self.raw[g + self.writable.size :]
        if before.tobytes() != self._canary_bytes:
            first = int(np.flatnonzero(before != self._canary)[0])
            raise OutputOverrun(
                f"execute wrote before the start of {label}: {g - first} byte(s) before it "
                "changed (the result is discarded)",
                package=package,
                op=op,
                stage="execute",
            )
        if after.tobytes() != self._canary_bytes:
            # Counted from the end of the output itself, as without padding.
            last = self.writable.size - self.nbytes + int(np.flatnonzero(after != self._canary)[-1])
            raise OutputOverrun(
                f"execute wrote past the end of {label} ({self.nbytes} bytes): at least "
                f"{last + 1} byte(s) after it changed (the result is discarded)",
                package=package,
                op=op,
                stage="execute",
            )
        if self.nbytes and not self._written():
            raise OutputUnwritten(
                f"execute returned success but left {label} unwritten (it still holds the "
                f"fill pattern 0x{FILL_BYTE:02X} in every byte)",
                package=package,
                op=op,
                stage="execute",
            )

    def _written(self) -> bool:
        """Whether any byte of the body differs from the fill (a written output usually
        differs in its first bytes: look there before scanning it all)."""
        body = self._body_bytes
        head = body[:64]
        if head.tobytes() != bytes([FILL_BYTE]) * head.size:
            return True
        return bool(np.any(body != FILL_BYTE))


def check_all(
    guards: list[GuardedOutput], names: list[str] | None, *, package: str, op: str
) -> None:
    """Check every output's guard; the first problem raises."""
    for i, guard in enumerate(guards):
        name = names[i] if names and i < len(names) else None
        guard.check(package=package, op=op, index=i, name=name)


__all__ = ["FILL_BYTE", "GUARD_BYTES", "GuardedOutput", "OutputCheckError", "check_all"]
