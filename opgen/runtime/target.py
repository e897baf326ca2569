"""Which target a package library was built for, when ``LIB[:PROVIDER]`` does not say.

Read from the library file, before anything of it runs (initialising a package with another
target's infrastructure is not safe): a GPU package exports ``QnnGpuOpPackage_getKernelBinary``
(the vendor's GPU interface asks for it), an HTP package built against opgen's host emulation
exports ``opgen_htp_registry``, a DSP package's host build exports ``opgen_dsp_package``
(src/utils/DspHostMarker.cpp), and anything else is taken for a CPU package. Within a family
the package's configs decide (``HTP_FP16`` rather than ``HTP``; ``DSP`` rather than ``CPU`` for
a DSP library built before the marker) when they declare the package for exactly one backend
of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from opgen.runtime import elf
from opgen.runtime.library import DEFAULT_TARGET, PROVIDER_SUFFIX

#: An exported symbol that only packages of one target family carry -> that family's default.
MARKERS: Mapping[str, str] = {
    "QnnGpuOpPackage_getKernelBinary": "GPU",
    "opgen_htp_registry": "HTP",
    "opgen_dsp_package": "DSP",
}
#: The targets a family's default stands for (the configs choose among them).
FAMILIES: Mapping[str, tuple[str, ...]] = {
    "CPU": ("CPU", "DSP"),
    "GPU": ("GPU",),
    "HTP": ("HTP", "HTP_FP16"),
    "DSP": ("DSP",),
}

#: The targets a library carrying a family's marker can be registered as.
FAMILIES_OF_MARKED: Mapping[str, tuple[str, ...]] = {
    "GPU": ("GPU",),
    "HTP": ("HTP", "HTP_FP16"),
    "DSP": ("DSP",),
}


@dataclass(frozen=True)
class Detected:
    target: str
    reason: str
    """Why, for ``opgen info`` ("the library exports ...")."""


def _exported(library: str) -> list[str]:
    path = Path(library)
    try:
        return elf.exported_symbols(path) if path.is_file() else []
    except (OSError, elf.ElfError):
        return []


def a_target(target: str) -> str:
    """The target with its article: "a GPU", "an HTP"."""
    return f"an {target}" if target.startswith("HTP") else f"a {target}"


def marker_conflict(library: str, target: str) -> str | None:
    """Why ``library`` cannot be registered as ``target`` (None when nothing says so): it carries
    another family's marker. Checked before init, since initialising a package with another
    target's infrastructure can crash the process."""
    exported = set(_exported(library))
    marker = next((m for m in MARKERS if m in exported), None)
    if marker is None or target in FAMILIES_OF_MARKED[MARKERS[marker]]:
        return None
    family = MARKERS[marker]
    return (
        f"target {target}: the library exports {marker}: it is {a_target(family)} op package; "
        f"register "
        f"it as LIB::{family} (or as LIB alone: the runtime detects the target)"
    )


def detect_target(
    library: str, provider: str | None, configs: Sequence[str | PathLike[str]] | None
) -> Detected:
    """The target of ``library`` (see the module docstring); CPU when the file cannot be read
    (loading it then says why)."""
    symbols = _exported(library)
    exported = set(symbols)
    marker = next((m for m in MARKERS if m in exported), None)
    family = MARKERS[marker] if marker else DEFAULT_TARGET
    reason = (
        f"the library exports {marker}" if marker else "no GPU, HTP or DSP marker in the library"
    )
    if provider is None:
        providers = [s for s in symbols if s.endswith(PROVIDER_SUFFIX)]
        provider = providers[0] if len(providers) == 1 else None
    declared = _declared_backends(library, provider, configs) if provider else ()
    candidates = [t for t in FAMILIES[family] if t in declared]
    if len(candidates) == 1 and candidates[0] != family:
        return Detected(candidates[0], f"{reason}, and its configs declare {candidates[0]}")
    return Detected(family, reason)


def _declared_backends(
    library: str, provider: str, configs: Sequence[str | PathLike[str]] | None
) -> tuple[str, ...]:
    """The backends the configs declare for the provider's package (none when they do not
    load: registering reports that)."""
    # Imported here: the configs are read only when a target is left to detect.
    import opgen
    from opgen.runtime.declaration import find_configs

    paths = list(configs) if configs is not None else find_configs(library)
    if not paths:
        return ()
    try:
        packages = opgen.load_packages(paths)
    except opgen.ConfigError:
        return ()
    name = provider.removesuffix(PROVIDER_SUFFIX)
    package = next((p for p in packages if p.name == name), None)
    return tuple(b.value for b in package.backends) if package else ()
