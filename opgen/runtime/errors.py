"""The runtime's one exception hierarchy.

Every failure names what it can: the package, the op, the interface stage that failed, the error
code with its symbolic name, and what the package logged while the failing call ran (that is
usually the reason, e.g. ``AddScaled: mandatory parameter 'offset' is missing``).
"""

from __future__ import annotations

from collections.abc import Sequence

from opgen.runtime.abi import error_name

#: How many of the package's messages an exception quotes at most.
MAX_QUOTED_MESSAGES = 5


class OpPackageError(Exception):
    """A package could not be loaded, registered or run, or it returned an error code.

    ``str()`` is one line, like ``RtPkg: op AddScaled: validateOpConfig failed with error 3110
    (QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE); package log: AddScaled: expected 2 input(s), got 1``.
    ``code`` is the ``Qnn_ErrorHandle_t`` a call returned (None when no call failed).
    """

    def __init__(
        self,
        message: str,
        *,
        package: str | None = None,
        op: str | None = None,
        stage: str | None = None,
        code: int | None = None,
        log: Sequence[str] = (),
    ) -> None:
        self.message = message
        self.package = package
        self.op = op
        self.stage = stage
        self.code = code
        self.code_name = error_name(code) if code is not None else None
        self.log = tuple(log)
        super().__init__(self._format())

    def _format(self) -> str:
        parts = [p for p in (self.package, f"op {self.op}" if self.op else None) if p]
        text = ": ".join([*parts, self.message])
        if self.log:
            quoted = [" ".join(m.split()) for m in self.log[-MAX_QUOTED_MESSAGES:]]
            text += "; package log: " + " | ".join(quoted)
        return text


class PackageLoadError(OpPackageError):
    """The library, its interface provider or its interface is unusable (nothing was run)."""


class OpRequestError(OpPackageError):
    """The request was refused before reaching the package: unknown op, bad value or shape."""


def call_failed(
    stage: str,
    code: int,
    *,
    package: str | None,
    op: str | None = None,
    log: Sequence[str] = (),
) -> OpPackageError:
    """The error for an interface function that returned ``code`` (non-zero)."""
    return OpPackageError(
        f"{stage} failed with error {code} ({error_name(code)})",
        package=package,
        op=op,
        stage=stage,
        code=code,
        log=log,
    )


class IsolationError(OpPackageError):
    """The worker process that runs an isolated package failed or is gone."""


class KernelCrashed(IsolationError):
    """A call into the package ended its worker process: a signal, an abort or an ``exit()``.

    ``signal_name`` (``"SIGSEGV"``) or ``exit_status`` (3) says how it ended.
    """

    def __init__(
        self,
        message: str,
        *,
        signal_name: str | None = None,
        exit_status: int | None = None,
        package: str | None = None,
        op: str | None = None,
        stage: str | None = None,
        log: Sequence[str] = (),
    ) -> None:
        self.signal_name = signal_name
        self.exit_status = exit_status
        super().__init__(message, package=package, op=op, stage=stage, log=log)


class KernelTimeout(IsolationError):
    """A call into the package did not finish in time; its worker process was killed."""


class OutputCheckError(OpPackageError):
    """A kernel returned success but its output is not to be trusted (see the subclasses)."""


class OutputOverrun(OutputCheckError):
    """A kernel wrote outside an output buffer: the guard bytes around it changed."""


class OutputUnwritten(OutputCheckError):
    """A kernel returned success without writing an output (it still holds the fill pattern)."""
