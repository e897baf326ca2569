"""The pipe between the runtime and its worker process: framed pickles, and errors as values.

A frame is a small header (lengths), a pickle, and the raw bytes of the numpy arrays in it
(protocol 5's out-of-band buffers: no copy on either side beyond the pipe itself). Both ends
are opgen's own code in the same installation, so pickle is the simple, exact choice; no other
process can write to these pipes. Errors cross as plain tuples (class name and fields) and are
rebuilt as the same OpPackageError subclass.
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
from opgen.runtime.info import PackageInfo
from opgen.runtime.opencl import DeviceInfo, KernelBuildError

_HEADER = struct.Struct("<QI")  # pickle length, number of out-of-band buffers
_LENGTH = struct.Struct("<Q")  # each buffer's length
#: A frame longer than this, or with more buffers, is treated as a corrupt stream.
MAX_FRAME = 1 << 40
MAX_BUFFERS = 1 << 20


@dataclass(frozen=True)
class PackageMeta:
    """The worker's answer to "register": what the parent shows without loading the package."""

    info: PackageInfo
    config_paths: tuple[str, ...]
    device: DeviceInfo | None
    described: tuple[tuple[str, str], ...] = ()
    """Target-specific `opgen info` rows (OpPackage.describe)."""
    described_json: dict[str, object] | None = None


class ChannelClosed(Exception):
    """The other end closed its pipe (or died) before a whole frame arrived."""


class ChannelTimeout(Exception):
    """No whole frame arrived before the deadline."""


def send(fd: int, message: object) -> None:
    """Write one frame (blocking); BrokenPipeError when the reader is gone.

    Array data goes out of band (pickle protocol 5): written straight from the arrays' memory
    after the pickle, and read straight into the buffers the other side's arrays will use.
    """
    buffers: list[pickle.PickleBuffer] = []
    body = pickle.dumps(message, protocol=5, buffer_callback=buffers.append)
    raws = [b.raw() for b in buffers]
    header = _HEADER.pack(len(body), len(raws)) + b"".join(_LENGTH.pack(r.nbytes) for r in raws)
    parts: list[memoryview] = [memoryview(header), memoryview(body), *raws]
    for part in parts:
        view = part.cast("B")
        while view:
            written = os.write(fd, view)
            view = view[written:]


def receive(fd: int, deadline: float | None = None) -> Any:
    """Read one frame; ``deadline`` is a ``time.monotonic()`` value (None waits for ever)."""
    length, count = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    if count > MAX_BUFFERS:
        raise ChannelClosed(f"corrupt frame header ({count} buffers)")
    sizes = [
        _LENGTH.unpack_from(_read_exactly(fd, _LENGTH.size, deadline))[0] for _ in range(count)
    ]
    if length + sum(sizes) > MAX_FRAME:
        raise ChannelClosed("corrupt frame header (too long)")
    body = _read_exactly(fd, length, deadline)
    buffers = [_read_exactly(fd, size, deadline) for size in sizes]
    return pickle.loads(body, buffers=buffers)


def _read_exactly(fd: int, count: int, deadline: float | None) -> bytearray:
    buffer = bytearray(count)
    view = memoryview(buffer)
    done = 0
    while done < count:
        if deadline is not None:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(left, 0.0))
            if not ready:
                raise ChannelTimeout
        got = os.readv(fd, [view[done:]])
        if not got:
            raise ChannelClosed("end of stream")
        done += got
    return buffer


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
