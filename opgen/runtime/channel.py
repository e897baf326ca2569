"""The pipe between the runtime and its worker process: framed pickles, and errors as values.

A frame is an 8-byte little-endian length and a pickle (protocol 5: numpy arrays travel as raw
bytes with their dtype and shape). Both ends are opgen's own code in the same installation, so
pickle is the simple, exact choice; no other process can write to these pipes. Errors cross as
plain tuples (class name and fields) and are rebuilt as the same OpPackageError subclass.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import time
from dataclasses import dataclass
from typing import Any

from opgen.runtime import errors
from opgen.runtime.opencl import DeviceInfo, KernelBuildError
from opgen.runtime.package import PackageInfo

_HEADER = struct.Struct("<Q")
#: A frame longer than this is treated as a corrupt stream.
MAX_FRAME = 1 << 40


@dataclass(frozen=True)
class PackageMeta:
    """The worker's answer to "register": what the parent shows without loading the package."""

    info: PackageInfo
    config_paths: tuple[str, ...]
    device: DeviceInfo | None


class ChannelClosed(Exception):
    """The other end closed its pipe (or died) before a whole frame arrived."""


class ChannelTimeout(Exception):
    """No whole frame arrived before the deadline."""


def send(fd: int, message: object) -> None:
    """Write one frame (blocking); BrokenPipeError when the reader is gone."""
    body = pickle.dumps(message, protocol=5)
    view = memoryview(_HEADER.pack(len(body)) + body)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def receive(fd: int, deadline: float | None = None) -> Any:
    """Read one frame; ``deadline`` is a ``time.monotonic()`` value (None waits for ever)."""
    (length,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    if length > MAX_FRAME:
        raise ChannelClosed(f"corrupt frame header (length {length})")
    return pickle.loads(_read_exactly(fd, length, deadline))


def _read_exactly(fd: int, count: int, deadline: float | None) -> bytes:
    chunks = bytearray()
    while len(chunks) < count:
        if deadline is not None:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(left, 0.0))
            if not ready:
                raise ChannelTimeout
        chunk = os.read(fd, min(count - len(chunks), 1 << 20))
        if not chunk:
            raise ChannelClosed("end of stream")
        chunks += chunk
    return bytes(chunks)


# ---- errors as values ----------------------------------------------------------------------------

_ERROR_CLASSES: dict[str, type[errors.OpPackageError]] = {
    cls.__name__: cls
    for cls in (
        errors.OpPackageError,
        errors.PackageLoadError,
        errors.OpRequestError,
        errors.OutputCheckError,
        errors.OutputOverrun,
        errors.OutputUnwritten,
        KernelBuildError,
    )
}


def error_to_wire(exc: errors.OpPackageError) -> tuple[Any, ...]:
    """The fields of a package error, for :func:`error_from_wire` in the other process."""
    name = next(
        (c.__name__ for c in type(exc).__mro__ if c.__name__ in _ERROR_CLASSES), "OpPackageError"
    )
    extra = (
        {"build_log": exc.build_log, "kernel": exc.kernel}
        if isinstance(exc, KernelBuildError)
        else {}
    )
    return (name, exc.message, exc.package, exc.op, exc.stage, exc.code, exc.log, extra)


def error_from_wire(fields: tuple[Any, ...]) -> errors.OpPackageError:
    name, message, package, op, stage, code, log, extra = fields
    if name == KernelBuildError.__name__:
        return KernelBuildError(
            message, build_log=extra["build_log"], kernel=extra["kernel"], package=package, op=op
        )
    cls = _ERROR_CLASSES.get(name, errors.OpPackageError)
    return cls(message, package=package, op=op, stage=stage, code=code, log=log)
