"""Reading one input tensor from a ``.npy`` file, refusing bad files before anything is allocated.

``np.load`` trusts the header: a 128-byte file claiming a 3.6 TiB shape is a MemoryError, an
empty file a bare ValueError, an object array needs pickle. :func:`load_npy` reads the header
itself (``numpy.lib.format``'s readers), checks the dtype and that the shape's bytes are really
in the file, and only then loads; big-endian data is converted to native byte order.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.lib.format as npformat
import numpy.typing as npt

from opgen.runtime import dtypes
from opgen.runtime.request import MAX_DIMENSION, describe_size

_NPZ_MAGIC = b"PK\x03\x04"


class NpyError(Exception):
    """The file is not a usable tensor; the message says why (without the path)."""


def load_npy(path: Path) -> npt.NDArray[Any]:
    """The array in ``path``, native byte order; raises :class:`NpyError` or OSError."""
    # A FIFO or device would block the open or the read: look before opening (stat follows a
    # link to what it names), and open without blocking in case it was swapped meanwhile.
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NpyError("it is not a regular file (a FIFO, device or directory)")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NpyError("it is not a regular file (a FIFO, device or directory)")
        size = info.st_size
        if size == 0:
            raise NpyError("the file is empty (0 bytes), not a .npy file")
        if handle.read(4) == _NPZ_MAGIC:
            raise NpyError("it is an .npz archive; give one .npy file per input")
        handle.seek(0)
        try:
            version = npformat.read_magic(handle)
            if version == (1, 0):
                header = npformat.read_array_header_1_0(handle)
            elif version == (2, 0):
                header = npformat.read_array_header_2_0(handle)
            else:  # 3.0 exists only for structured dtypes with non-ASCII field names
                raise NpyError(f".npy format version {version[0]}.{version[1]} is not supported")
        except ValueError as exc:
            raise NpyError(f"not a valid .npy file ({exc})") from None
        shape, _fortran, dtype = header
        _check_dtype(dtype)
        for dim in shape:
            if dim > MAX_DIMENSION:
                raise NpyError(f"dimension {dim} of shape {shape} does not fit a uint32")
        needed = int(np.prod(shape, dtype=object)) * dtype.itemsize
        available = size - handle.tell()
        if needed > available:
            raise NpyError(
                f"the header claims shape {shape} of {dtype} ({describe_size(needed)}), but "
                f"the file holds {describe_size(available)} of data (truncated or corrupt)"
            )
        handle.seek(0)
        try:
            array = np.load(handle, allow_pickle=False)
        except ValueError as exc:
            raise NpyError(f"cannot read the data ({exc})") from None
    if array.dtype.byteorder not in ("=", "|"):
        array = array.astype(array.dtype.newbyteorder("="))
    return np.asarray(array)


def _check_dtype(dtype: np.dtype[Any]) -> None:
    if dtype.hasobject:
        raise NpyError("it holds Python objects (dtype object), not numbers")
    if dtype.fields is not None or dtype.subdtype is not None:
        raise NpyError(f"it has a structured dtype ({dtype}), not a tensor datatype")
    if not dtypes.supported(dtype.newbyteorder("=")):
        raise NpyError(
            f"dtype {dtype} is not a tensor datatype (supported: {', '.join(dtypes.DTYPE_NAMES)})"
        )


def save_npz(path: Path, arrays: dict[str, npt.NDArray[Any]], *, npy: bool = False) -> None:
    """Write ``arrays`` to ``path`` as .npz (or, ``npy``, its one array as .npy), whole or not
    at all (a temporary file in the same directory, renamed into place); raises NpyError or
    OSError. An existing FIFO, device or directory at ``path`` is refused, not opened (opening
    a FIFO would block)."""
    if npy and len(arrays) != 1:
        raise NpyError(f"a .npy file holds one array, not {len(arrays)}")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(mode):
            raise NpyError("it is not a regular file (a FIFO, device or directory)")
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if npy:
                np.save(handle, next(iter(arrays.values())), allow_pickle=False)
            else:
                np.savez(handle, **arrays)  # type: ignore[arg-type]
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
