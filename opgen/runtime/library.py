"""Loading a package library and obtaining its op-package interface, whatever the target.

``LIB[:PROVIDER[:TARGET]]`` names a package as the vendor tools' ``--op_packages`` does. The
provider defaults to the library's one ``*InterfaceProvider`` export: ``lib<Name>.so`` is tried as
``<Name>InterfaceProvider`` first, then the dynamic symbol table is read (see :mod:`.elf`).
Nothing here calls into the package beyond the provider: the interface it fills in is checked
(version 1.x with x >= 4, the slots the target needs non-NULL) before anyone uses it.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from opgen.runtime import abi, elf
from opgen.runtime.errors import PackageLoadError, call_failed

PROVIDER_SUFFIX = "InterfaceProvider"
DEFAULT_TARGET = "CPU"
#: Interface versions the runtime speaks: major 1, minor at least 4 (the ``v1_4`` table).
INTERFACE_MAJOR = 1
INTERFACE_MIN_MINOR = 4


@dataclass(frozen=True)
class PackageSpec:
    """A parsed ``LIB[:PROVIDER[:TARGET]]``; ``target`` None: detect it (see :mod:`.target`)."""

    library: str
    provider: str | None = None
    target: str | None = None

    @classmethod
    def parse(cls, text: str) -> PackageSpec:
        if not text:
            raise PackageLoadError("empty op package: expected LIB[:PROVIDER[:TARGET]]")
        if ":" not in text or Path(text).exists():
            return cls(text)
        parts = text.split(":")
        if len(parts) > 3 or not parts[0]:
            raise PackageLoadError(f"'{text}' is not LIB[:PROVIDER[:TARGET]]")
        provider = (parts[1] or None) if len(parts) > 1 else None
        target = parts[2].upper() if len(parts) > 2 and parts[2] else None
        return cls(parts[0], provider, target)

    def __str__(self) -> str:
        return ":".join([self.library, self.provider or "", self.target or ""])


@dataclass(frozen=True, eq=False)
class Interface:
    """A loaded library and the ``v1_4`` table its provider filled in."""

    library: str
    """The path as given (or resolved, when it names a file)."""
    provider: str
    version: tuple[int, int, int]
    table: abi.QnnOpPackage_ImplementationV1_4_t
    handle: ctypes.CDLL
    interface: abi.QnnOpPackage_Interface_t
    """Owns the memory ``table`` points into."""

    @property
    def label(self) -> str:
        """What to call the package before getInfo has named it."""
        return self.provider.removesuffix(PROVIDER_SUFFIX) or Path(self.library).name


def load_interface(spec: PackageSpec, required_slots: Sequence[str]) -> Interface:
    """Load ``spec.library``, call its provider and check the interface; PackageLoadError
    (or OpPackageError with the provider's error code) when any of that fails."""
    path = Path(spec.library)
    names_file = "/" in spec.library or path.exists()
    if names_file and not path.is_file():
        raise PackageLoadError(f"op package library '{spec.library}' does not exist")
    library = str(path.resolve()) if names_file else spec.library
    try:
        handle = ctypes.CDLL(library, mode=os.RTLD_LOCAL)
    except OSError as exc:
        raise PackageLoadError(f"cannot load op package library '{spec.library}': {exc}") from None
    provider_name = spec.provider or default_provider(handle, path if names_file else None)
    try:
        provider = abi.QnnOpPackage_InterfaceProvider_t((provider_name, handle))
    except AttributeError:
        raise PackageLoadError(
            f"op package library '{spec.library}' has no interface provider '{provider_name}'"
        ) from None
    interface = abi.QnnOpPackage_Interface_t()  # all zero: a provider that sets nothing fails
    code = provider(ctypes.byref(interface))
    label = provider_name.removesuffix(PROVIDER_SUFFIX)
    if code != abi.QNN_SUCCESS:
        raise call_failed(provider_name, code, package=label)
    v = interface.interfaceVersion
    version = (v.major, v.minor, v.patch)
    if version[0] != INTERFACE_MAJOR or version[1] < INTERFACE_MIN_MINOR:
        raise PackageLoadError(
            f"{provider_name} reports interface version {'.'.join(map(str, version))}; the "
            f"runtime supports {INTERFACE_MAJOR}.x with x >= {INTERFACE_MIN_MINOR}",
            package=label,
        )
    table = interface.v1_4
    missing = [slot for slot in required_slots if not getattr(table, slot)]
    if missing:
        raise PackageLoadError(
            f"{provider_name} left interface function(s) NULL: {', '.join(missing)}",
            package=label,
        )
    return Interface(library, provider_name, version, table, handle, interface)


def default_provider(handle: ctypes.CDLL, path: Path | None) -> str:
    """The provider symbol of a library named without one."""
    stem = (path.name if path else "").split(".so")[0]
    guess = stem.removeprefix("lib") + PROVIDER_SUFFIX
    if stem and hasattr(handle, guess):
        return guess
    if path is None:
        raise PackageLoadError(
            f"cannot tell the interface provider of '{handle._name}': give LIB:PROVIDER"
        )
    try:
        symbols = elf.exported_symbols(path)
    except (OSError, elf.ElfError) as exc:
        raise PackageLoadError(f"cannot read the symbols of '{path}': {exc}") from None
    found = [s for s in symbols if s.endswith(PROVIDER_SUFFIX)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise PackageLoadError(
            f"op package library '{path}' exports no *{PROVIDER_SUFFIX} symbol "
            "(is it an op package? name the provider with LIB:PROVIDER)"
        )
    raise PackageLoadError(
        f"op package library '{path}' exports several interface providers "
        f"({', '.join(found)}): choose one with LIB:PROVIDER"
    )
