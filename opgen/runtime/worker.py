"""The worker process of an isolated package: ``python -m opgen.runtime.worker IN OUT PARENT``.

It reads requests from file descriptor IN and answers on OUT (frames of :mod:`.channel`), so
whatever a kernel prints on stdout or stderr cannot corrupt the stream. Requests, answered in
order:

* ``("register", spec, configs)`` -> ``("ok", PackageMeta)``
* ``("execute", request, outputs)`` -> ``("ok", arrays)``: an OpRequest without its outputs,
  and the ``(shape, dtype, datatype)`` of each (the worker allocates them)
* ``("execute_quantized", op, inputs, params, outputs, param_types, quant)`` -> ``("ok",
  arrays)``: HTP and DSP, whose executors bind and quantize the values themselves
* ``("close",)`` -> ``("ok", None)``

A package error is answered with ``("error", fields)``. While a request runs, the worker also
sends ``("stage", name)`` before each interface call and ``("log", logger, level, message)``
for each message the package reports, so a crash can be blamed on the stage it happened in,
with what the package said.
The worker ignores SIGINT (the parent decides: it kills the worker on Ctrl-C) and dies with its
parent (PR_SET_PDEATHSIG on Linux).
"""

from __future__ import annotations

import ctypes
import dataclasses
import logging
import os
import signal
import sys
from typing import Any

import numpy as np

from opgen.runtime import channel
from opgen.runtime.errors import OpPackageError, OpRequestError
from opgen.runtime.executor import OpExecutor
from opgen.runtime.package import OpPackage
from opgen.runtime.request import Tensor

_PR_SET_PDEATHSIG = 1


class _Forward(logging.Handler):
    """Sends every record of ``opgen.runtime`` loggers to the parent as a log frame."""

    def __init__(self, fd: int) -> None:
        super().__init__(logging.DEBUG)
        self._fd = fd

    def emit(self, record: logging.LogRecord) -> None:
        channel.send(self._fd, ("log", record.name, record.levelno, record.getMessage()))


class Worker:
    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.read_fd = read_fd
        self.write_fd = write_fd
        self.package: OpPackage | None = None

    def serve(self) -> None:
        while True:
            try:
                request = channel.receive(self.read_fd)
            except channel.ChannelClosed:
                return  # the parent is gone or done
            try:
                answer = ("ok", self.handle(request))
            except OpPackageError as exc:
                answer = ("error", channel.error_to_wire(exc))
            channel.send(self.write_fd, answer)
            if request[0] == "close":
                return

    def handle(self, request: tuple[Any, ...]) -> object:
        kind = request[0]
        if kind == "register":
            _, spec, configs = request
            self.stage("register")  # loading the library runs its static constructors too
            package = OpPackage.register(spec, configs=configs)
            self.package = package
            return channel.PackageMeta(
                package.info,
                tuple(package.config_paths),
                package.device_info(),
                tuple(package.describe()),
                package.describe_json(),
            )
        if kind == "execute":
            package = self._registered()
            if not isinstance(package, OpExecutor):
                raise OpRequestError(f"{type(package).__name__} cannot execute ops")
            _, bare, shapes = request
            outputs = tuple(Tensor(np.empty(s, d), t) for s, d, t in shapes)
            return package.run_request(dataclasses.replace(bare, outputs=outputs), self.stage)
        if kind == "execute_quantized":  # HTP, DSP: the executor binds and quantizes itself
            package = self._registered()
            _, op_type, inputs, params, outputs, param_types, quant = request
            if package.target == "DSP":  # reports each UDO function as its stage
                from opgen.runtime.dsp import DspOpPackage

                assert isinstance(package, DspOpPackage)
                return package.execute(
                    op_type,
                    inputs,
                    params,
                    outputs,
                    param_types=param_types,
                    quant=quant,
                    stage=self.stage,
                )
            from opgen.runtime.htp import HtpOpPackage

            if not isinstance(package, HtpOpPackage):
                raise OpRequestError(f"{type(package).__name__} takes no quantization")
            self.stage("execute")
            return package.execute(
                op_type, inputs, params, outputs, param_types=param_types, quant=quant
            )
        if kind == "close":
            if self.package is not None:
                self.stage("terminate")
                self.package.close()
            return None
        raise OpRequestError(f"the worker does not know request '{kind}'")

    def stage(self, name: str) -> None:
        channel.send(self.write_fd, ("stage", name))

    def _registered(self) -> OpPackage:
        if self.package is None:
            raise OpRequestError("the worker has no registered package")
        return self.package


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        sys.exit(0)


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    read_fd, write_fd, parent = (int(a) for a in argv[:3])
    _die_with_parent(parent)
    logger = logging.getLogger("opgen.runtime")
    logger.addHandler(_Forward(write_fd))
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    Worker(read_fd, write_fd).serve()
    os.close(write_fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
