"""The global infrastructure a GPU op package's ``init`` receives, and its log callback.

Both live as long as the process (a library stays loaded and may keep the pointers): one
:class:`Infrastructure` per library, in ``INFRASTRUCTURES``. Messages the package logs through
the ``logInitialize`` callback are formatted with the C library's ``vsnprintf`` where the
``va_list`` can be passed on (Linux x86_64 and aarch64; elsewhere the bare format is kept) and
reported to the registered package, which keeps and logs them.
"""

from __future__ import annotations

import ctypes
import logging
import platform
import weakref
from collections.abc import Callable
from typing import Any

from opgen.runtime import abi
from opgen.runtime.package import OpPackage

_Level = abi.QnnLog_Level_t
LOG_LEVELS = {
    _Level.QNN_LOG_LEVEL_ERROR: logging.ERROR,
    _Level.QNN_LOG_LEVEL_WARN: logging.WARNING,
    _Level.QNN_LOG_LEVEL_INFO: logging.INFO,
    _Level.QNN_LOG_LEVEL_VERBOSE: logging.DEBUG,
    _Level.QNN_LOG_LEVEL_DEBUG: logging.DEBUG,
}
#: Where a callback's ``va_list`` (an opaque pointer to ctypes) can be handed to vsnprintf.
VA_LIST_FORMATTABLE = platform.system() == "Linux" and platform.machine() in ("x86_64", "aarch64")
MAX_MESSAGE = 4096


def _vsnprintf() -> Any:
    function = ctypes.CDLL(None).vsnprintf
    function.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
    function.restype = ctypes.c_int
    return function


_VSNPRINTF = _vsnprintf() if VA_LIST_FORMATTABLE else None


def format_message(fmt: bytes | None, args: int | None) -> str:
    """A log callback's message: formatted when possible, else the bare format."""
    if fmt is None:
        return ""
    if _VSNPRINTF is not None and args:
        buffer = ctypes.create_string_buffer(MAX_MESSAGE)
        if _VSNPRINTF(buffer, MAX_MESSAGE, fmt, args) >= 0:
            return buffer.value.decode("utf-8", "replace")
    return fmt.decode("utf-8", "replace")


def deliver_log(
    owner: Callable[[], OpPackage | None] | None, fmt: bytes | None, level: int, args: int | None
) -> None:
    """A package's log callback: its message to the package that owns the library (to the
    ``opgen.runtime`` logger when none does any more)."""
    message = format_message(fmt, args)
    python_level = LOG_LEVELS.get(level, logging.WARNING)  # type: ignore[call-overload]
    package = owner() if owner else None
    if package is None:
        logging.getLogger("opgen.runtime").log(python_level, "%s", message)
    else:
        package._report(python_level, message)


class Infrastructure:
    """The global infrastructure and log callback given to one library.

    A library stays loaded for the life of the process and may keep the pointers, so these do
    too (one per library, see ``_INFRASTRUCTURES``); the package they report to is weakly held.
    """

    def __init__(self) -> None:
        self.owner: weakref.ref[OpPackage] | None = None
        self.api_version = abi.Qnn_ApiVersion_t()
        core, backend = self.api_version.coreApiVersion, self.api_version.backendApiVersion
        core.major, core.minor, core.patch = (
            abi.QNN_API_VERSION_MAJOR,
            abi.QNN_API_VERSION_MINOR,
            abi.QNN_API_VERSION_PATCH,
        )
        backend.major, backend.minor, backend.patch = (
            abi.QNN_GPU_API_VERSION_MAJOR,
            abi.QNN_GPU_API_VERSION_MINOR,
            abi.QNN_GPU_API_VERSION_PATCH,
        )
        self.properties = abi.QnnGpu_DeviceProperties_t()
        self.struct = abi.QnnGpuOpPackage_GlobalInfrastructure_t(
            ctypes.pointer(self.api_version), ctypes.pointer(self.properties), None
        )
        self.log_callback = abi.QnnLog_Callback_t(self._log)

    def _log(self, fmt: bytes | None, level: int, _timestamp: int, args: int | None) -> None:
        deliver_log(self.owner, fmt, level, args)


INFRASTRUCTURES: dict[str, Infrastructure] = {}
