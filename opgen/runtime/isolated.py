"""Isolated packages: the library is loaded and run in a worker process, never in this one.

    with OpPackage.register("libRtPkg.so", isolate=True, timeout=60) as package:
        (out,) = package.execute("AddScaled", [a, b], {"offset": 2})

:class:`IsolatedOpPackage` presents the API of a registered package (``info``, ``name``,
``declaration``, ``config_paths``, ``device_info``, ``messages``, ``request``, ``execute``,
``close``, use as a context manager); the worker (:mod:`.worker`, started with ``subprocess``
as ``python -m opgen.runtime.worker``, so it shares none of this process's state: threads and
OpenCL contexts make ``fork`` unsafe) registers the package and runs each request. Requests are
built and checked here, so a bad request fails exactly as in-process, before the worker sees it.

What isolation turns into exceptions: a crash, abort or ``exit()`` in the package ends the
worker (:class:`KernelCrashed`, naming the signal or exit status and the interface stage); a
call that outlasts ``timeout`` seconds gets the worker killed (:class:`KernelTimeout`); Ctrl-C
while a call runs kills the worker and raises KeyboardInterrupt here. After any of these the
worker is gone: further calls raise :class:`IsolationError` saying why (register again).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import subprocess
import sys
import time
import weakref
from collections import deque
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt

import opgen
from opgen.model import OpDef
from opgen.runtime import channel
from opgen.runtime.declaration import declarations_for
from opgen.runtime.errors import (
    IsolationError,
    KernelCrashed,
    KernelTimeout,
    OpRequestError,
    PackageLoadError,
)
from opgen.runtime.info import PackageInfo
from opgen.runtime.library import PackageSpec
from opgen.runtime.opencl import DeviceInfo
from opgen.runtime.package import QUANTIZED_TARGETS
from opgen.runtime.request import OpRequest, OutputRequest, ParamValue, build_request, output_names

#: Registering (starting the worker, importing numpy or pyopencl, init) may take at least this
#: long whatever the timeout: the timeout is about the package's calls, not Python's start-up.
MIN_REGISTER_TIMEOUT = 60.0
#: The logger of the runtime's own warnings; packages log to its children.
RUNTIME_LOGGER = "opgen.runtime"
#: How long a worker that closed its pipe gets to exit before it is killed.
EXIT_GRACE = 10.0


class IsolatedOpPackage:
    """A package registered in a worker process. Use :meth:`start` (or ``register(...,
    isolate=True)``), then :meth:`close` (or ``with``)."""

    def __init__(
        self,
        spec: PackageSpec,
        configs: Sequence[str | PathLike[str]] | None,
        timeout: float | None,
        process: subprocess.Popen[bytes],
        to_worker: int,
        from_worker: int,
    ) -> None:
        self.spec = spec
        assert spec.target is not None, "register() decides the target"
        self.target: str = spec.target
        self.timeout = timeout or None  # 0 means no limit
        self._configs = list(configs) if configs is not None else None
        self._process = process
        self._to_worker = to_worker
        self._from_worker = from_worker
        self._name = Path(spec.library).name
        self._meta: channel.PackageMeta | None = None
        self._declarations: dict[str, OpDef] | None = None
        self._messages: deque[str] = deque(maxlen=64)
        self._gone: str | None = None  # why the worker is gone
        self._closed = False
        # A package dropped without close() must not leave its worker running.
        self._finalizer = weakref.finalize(self, _reap, process, (to_worker, from_worker), 0.0)

    @classmethod
    def start(
        cls,
        spec: PackageSpec,
        *,
        configs: Sequence[str | PathLike[str]] | None = None,
        timeout: float | None = None,
    ) -> IsolatedOpPackage:
        """Start a worker and register ``spec`` in it."""
        to_child, to_worker = os.pipe()
        from_worker, from_child = os.pipe()
        env = dict(os.environ)
        root = str(Path(opgen.__file__).resolve().parents[1])  # the worker imports this opgen
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        argv = [sys.executable, "-m", "opgen.runtime.worker", str(to_child), str(from_child)]
        try:
            process = subprocess.Popen(
                [*argv, str(os.getpid())],
                pass_fds=(to_child, from_child),
                stdin=subprocess.DEVNULL,
                env=env,
            )
        except OSError as exc:
            for fd in (to_worker, from_worker):  # the child's ends: closed below
                os.close(fd)
            raise PackageLoadError(f"cannot start the worker process: {exc}") from None
        finally:
            for fd in (to_child, from_child):
                _close_quietly(fd)
        package = cls(spec, configs, timeout, process, to_worker, from_worker)
        limit = None if package.timeout is None else max(package.timeout, MIN_REGISTER_TIMEOUT)
        try:
            meta = package._call(("register", str(spec), package._configs), None, limit)
        except BaseException:  # whatever stopped the registration, the worker must not linger
            package._stop()
            raise
        assert isinstance(meta, channel.PackageMeta)
        package._meta = meta
        package._name = meta.info.package_name
        return package

    # ---- what a registered package shows ------------------------------------------------------

    @property
    def info(self) -> PackageInfo:
        if self._meta is None:
            raise PackageLoadError("the package was never registered", package=self._name)
        return self._meta.info

    @property
    def name(self) -> str:
        return self._name

    @property
    def registered(self) -> bool:
        return self._meta is not None and not self._closed and self._gone is None

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return self._process.pid

    @property
    def messages(self) -> tuple[str, ...]:
        """The most recent messages the package reported (oldest first)."""
        return tuple(self._messages)

    @property
    def config_paths(self) -> list[str]:
        return list(self._meta.config_paths) if self._meta else []

    def device_info(self) -> DeviceInfo | None:
        return self._meta.device if self._meta else None

    def describe(self) -> list[tuple[str, str]]:
        """Target-specific `opgen info` rows, as the worker's package gave them."""
        return list(self._meta.described) if self._meta else []

    def describe_json(self) -> dict[str, object]:
        return dict(self._meta.described_json or {}) if self._meta else {}

    def declaration(self, op_type: str) -> OpDef | None:
        """The op's declaration, when the package's configs are known (read here: it is data)."""
        if self._declarations is None:
            configs = self.config_paths
            explicit = self._configs is not None
            self._declarations = declarations_for(
                configs, self.info.library, self.info.package_name, self.target, explicit=explicit
            )
        return self._declarations.get(op_type)

    def output_labels(self, op_type: str, count: int) -> list[str] | None:
        declaration = self.declaration(op_type)
        return output_names(declaration, count) if declaration is not None else None

    # ---- running ------------------------------------------------------------------------------

    def request(
        self,
        op_type: str,
        inputs: Sequence[npt.ArrayLike],
        params: Mapping[str, ParamValue] | None = None,
        outputs: Sequence[OutputRequest] | None = None,
        *,
        param_types: Mapping[str, Any] | None = None,
    ) -> OpRequest:
        """Check ``op_type`` against getInfo and bind the values, as in-process."""
        self._require_usable(op_type)
        return build_request(
            op_type,
            inputs,
            params,
            outputs,
            declaration=self.declaration(op_type),
            param_types=param_types,
            package=self._name,
            operations=self.info.operations,
        )

    def execute(
        self,
        op_type: str,
        inputs: Sequence[npt.ArrayLike],
        params: Mapping[str, ParamValue] | None = None,
        outputs: Sequence[OutputRequest] | None = None,
        *,
        param_types: Mapping[str, Any] | None = None,
        quant: Mapping[str, tuple[float, int]] | None = None,
    ) -> list[npt.NDArray[Any]]:
        """Run one op once in the worker; returns its outputs (written into given arrays).
        ``quant`` is for HTP and DSP packages (see :meth:`.htp.HtpOpPackage.execute`)."""
        request = self.request(op_type, inputs, params, outputs, param_types=param_types)
        if self.target in QUANTIZED_TARGETS:
            # The HTP and DSP executors bind and quantize themselves: send the values as given.
            specs = [(t.array.shape, t.array.dtype) for t in request.outputs]
            call: tuple[Any, ...] = (
                "execute_quantized",
                op_type,
                [t.array for t in request.inputs],
                dict(params or {}),
                specs,
                param_types,
                dict(quant or {}),
            )
        elif quant:
            raise OpRequestError(
                f"quantization parameters apply to HTP and DSP op packages, not {self.target}",
                package=self._name,
                op=op_type,
            )
        else:
            # The outputs travel as shapes and datatypes only: the worker allocates them.
            shapes = [(t.array.shape, t.array.dtype, t.datatype) for t in request.outputs]
            call = ("execute", dataclasses.replace(request, outputs=()), shapes)
        results = self._call(call, op_type, self.timeout)
        arrays = [t.array for t in request.outputs]
        for array, result in zip(arrays, results, strict=True):
            np.copyto(array, result)
        return arrays

    # ---- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Terminate the package and end the worker (a no-op when already closed or gone)."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._gone is None and self._meta is not None:
                self._call(("close",), None, self.timeout)
        finally:
            self._stop()

    def __enter__(self) -> IsolatedOpPackage:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---- the worker ---------------------------------------------------------------------------

    def _require_usable(self, op_type: str | None) -> None:
        if self._gone is not None:
            raise IsolationError(
                f"the worker process is gone ({self._gone}): register the package again",
                package=self._name,
                op=op_type,
            )
        if self._closed or self._meta is None:
            raise OpRequestError(
                "the package is not registered (closed, or init failed)",
                package=self._name,
                op=op_type,
            )

    def _call(self, request: tuple[Any, ...], op: str | None, timeout: float | None) -> Any:
        """Send one request and wait for its answer, relaying stages and log messages."""
        if self._gone is not None:
            self._require_usable(op)
        stage = "start-up" if request[0] == "register" else request[0]
        log: list[str] = []
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            channel.send(self._to_worker, request)
            while True:
                frame = channel.receive(self._from_worker, deadline)
                if frame[0] == "stage":
                    stage = frame[1]
                elif frame[0] == "log":
                    _, logger, level, message = frame
                    if logger != RUNTIME_LOGGER:  # the runtime's own notes are not the package's
                        self._messages.append(message)
                        log.append(message)
                    logging.getLogger(logger).log(level, "%s", message)
                elif frame[0] == "error":
                    raise channel.error_from_wire(frame[1])
                else:
                    return frame[1]
        except KeyboardInterrupt:
            self._gone = f"interrupted during {stage}"
            self._stop(kill=True)
            raise
        except channel.ChannelTimeout:
            self._gone = f"stopped after {stage} ran longer than {timeout:g} s"
            self._stop(kill=True)
            raise KernelTimeout(
                f"{stage} did not finish within {timeout:g} s: the worker process was killed",
                package=self._name,
                op=op,
                stage=stage,
                log=log,
            ) from None
        except (channel.ChannelClosed, BrokenPipeError):
            raise self._crashed(stage, op, log) from None

    def _crashed(self, stage: str, op: str | None, log: list[str]) -> KernelCrashed:
        try:
            status: int | None = self._process.wait(EXIT_GRACE)
        except subprocess.TimeoutExpired:
            status = None
        self._stop(kill=True)
        if status is None:
            status = self._process.returncode
        if status is not None and status < 0:
            name = _signal_name(-status)
            how = f"killed by {name}"
            description = signal.strsignal(-status)
            detail = f"{how} ({description})" if description else how
            error = KernelCrashed(
                f"{stage} crashed the worker process: {detail}",
                signal_name=name,
                package=self._name,
                op=op,
                stage=stage,
                log=log,
            )
        else:
            how = f"exit status {status}"
            error = KernelCrashed(
                f"{stage} ended the worker process: it exited with status {status} "
                "(the package called exit?)",
                exit_status=status,
                package=self._name,
                op=op,
                stage=stage,
                log=log,
            )
        self._gone = f"{stage} ended it: {how}"
        return error

    def _stop(self, kill: bool = False) -> None:
        """Close the pipes, give the worker a moment to exit (none with ``kill``), kill it if
        it still runs and reap it. Runs once (the pipes' descriptors must not be closed twice)."""
        if self._finalizer.detach() is not None:
            _reap(self._process, (self._to_worker, self._from_worker), 0.0 if kill else 2.0)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _close_quietly(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


def _reap(process: subprocess.Popen[bytes], fds: tuple[int, ...], grace: float) -> None:
    for fd in fds:
        _close_quietly(fd)  # the worker sees the end of its input and exits
    if grace and process.poll() is None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)
    if process.poll() is None:
        process.kill()
    process.wait()
