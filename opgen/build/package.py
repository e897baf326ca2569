"""What `opgen build` knows about a generated package: its kind, make targets and libraries.

A directory is an opgen package when its `Makefile` starts with opgen's banner (the first line of
every opgen-owned file), which names the package and its backend (`... op package <Name> (CPU)
...`) or says it is a converter op package. Package names are checked identifiers, so the banner
parses unambiguously whatever config file names follow it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from opgen import naming

_BACKEND_BANNER = re.compile(
    r"^# opgen-owned file, generated for op package (?P<name>[A-Za-z_]\w*) \((?P<backend>\w+)\)"
)
_CONVERTER_BANNER = re.compile(
    r"^# opgen-owned file, generated for the converter op package of (?P<name>[A-Za-z_]\w*) "
)
#: Where a CMake build puts its library (the `host` preset of the generated CMakePresets.json).
CMAKE_BINARY_DIR = "build/cmake-host"
CMAKE_PRESET = "host"


class NotAPackage(Exception):
    """PACKAGE_DIR is not a package opgen generated (the message says why)."""


class Kind(enum.Enum):
    CPU = "CPU"
    GPU = "GPU"
    HTP = "HTP"
    HTP_FP16 = "HTP_FP16"
    DSP = "DSP"
    CONVERTER = "converter"


#: Each kind's default make target: the build for this host.
HOST_TARGET = {
    Kind.CPU: "cpu_x86",
    Kind.GPU: "gpu_x86",
    Kind.HTP: "htp_x86",
    Kind.HTP_FP16: "htp_x86",
    Kind.DSP: "dsp_x86",
    Kind.CONVERTER: "cpu",
}

_LIBS_X86 = "libs/x86_64-linux-clang"
_LIBS_ANDROID = "libs/aarch64-android"
_HTP_ARCHS = ("v68", "v69", "v73", "v75", "v79", "v81")


def _target_dirs(kind: Kind) -> dict[str, tuple[str, ...]]:
    """make target -> the directories its libraries land in (relative to the package)."""
    if kind in (Kind.CPU, Kind.GPU):
        prefix = kind.value.lower()
        return {
            f"{prefix}_x86": (_LIBS_X86,),
            "all_x86": (_LIBS_X86,),
            f"{prefix}_android": (_LIBS_ANDROID,),
            f"{prefix}_aarch64-android": (_LIBS_ANDROID,),
            "all_android": (_LIBS_ANDROID,),
            prefix: (_LIBS_X86, _LIBS_ANDROID),
            "all": (_LIBS_X86, _LIBS_ANDROID),
            "default": (_LIBS_X86, _LIBS_ANDROID),
        }
    if kind in (Kind.HTP, Kind.HTP_FP16):
        hexagon = tuple(f"build/hexagon-{arch}" for arch in _HTP_ARCHS)
        every = ("build/x86_64-linux-clang", "build/aarch64-android", *hexagon)
        dirs: dict[str, tuple[str, ...]] = {
            "htp_x86": ("build/x86_64-linux-clang",),
            "htp_aarch64": ("build/aarch64-android",),
            "all": every,
            "default": every,
        }
        dirs.update({f"htp_{arch}": (f"build/hexagon-{arch}",) for arch in _HTP_ARCHS})
        return dirs
    if kind is Kind.DSP:
        # `all` builds the device library too only when HEXAGON_SDK_ROOT is set: what exists.
        both = ("build/x86_64-linux-clang", "build/DSP")
        return {
            "dsp_x86": ("build/x86_64-linux-clang",),
            "dsp": ("build/DSP",),
            "all": both,
            "default": both,
        }
    assert kind is Kind.CONVERTER
    return {t: ("ConverterOpPackage",) for t in ("cpu", "cpu_x86", "all", "default")}


@dataclass(frozen=True)
class Library:
    path: Path
    """As PACKAGE_DIR was given, joined with the library's place in the package."""
    package: Package

    @property
    def op_packages(self) -> str:
        """The `--op_packages` value of opgen's runtime (`opgen info`, `run`, `test`); for a
        converter package, the `--converter_op_package_lib` value."""
        if self.package.kind is Kind.CONVERTER:
            return str(self.path)
        provider = naming.interface_provider(self.package.name)
        target = "" if self.package.kind is Kind.CPU else f":{self.package.kind.value}"
        return f"{self.path}:{provider}{target}"

    @property
    def option(self) -> str:
        """The consumer's option that takes `op_packages`."""
        if self.package.kind is Kind.CONVERTER:
            return "--converter_op_package_lib"
        return "--op_packages"


@dataclass(frozen=True)
class Package:
    directory: Path
    name: str
    kind: Kind

    @property
    def host_target(self) -> str:
        return HOST_TARGET[self.kind]

    @property
    def library_name(self) -> str:
        if self.kind is Kind.CONVERTER:
            return "libConverterOpPackage.so"
        if self.kind in (Kind.HTP, Kind.HTP_FP16, Kind.DSP):
            return f"libQnn{self.name}.so"
        return f"lib{self.name}.so"

    @property
    def label(self) -> str:
        if self.kind is Kind.CONVERTER:
            return f"converter op package of {self.name}"
        return f"{self.name} ({self.kind.value})"

    def libraries(self, targets: Sequence[str], since: float) -> list[Library]:
        """The libraries `targets` produce that exist now. A target opgen does not know (one a
        user added) reports every library of the package that was written at or after `since`
        (when the build started)."""
        dirs = _target_dirs(self.kind)
        found: list[Path] = []
        for target in targets:
            if target in dirs:
                candidates = [self.directory / d / self.library_name for d in dirs[target]]
                found += [p for p in candidates if p.is_file()]
            else:
                found += [p for p in self._all_libraries() if p.stat().st_mtime >= since]
        return [Library(p, self) for p in dict.fromkeys(found)]

    def host_library(self) -> Path:
        """Where the host target (`cpu_x86`, `dsp_x86`, ...) puts the library."""
        return self.directory / _target_dirs(self.kind)[self.host_target][0] / self.library_name

    def cmake_library(self) -> Library:
        return Library(self.directory / CMAKE_BINARY_DIR / self.library_name, self)

    def _all_libraries(self) -> list[Path]:
        roots = [self.directory / "libs", self.directory / "build", self.directory]
        paths = {
            p
            for root in roots
            if root.is_dir()
            for p in root.glob("**/lib*.so" if root != self.directory else "lib*.so")
            if "cmake-" not in p.as_posix() and p.is_file()
        }
        return sorted(paths)


def find_packages(directory: Path) -> list[Package]:
    """The package in `directory`, or, for a package generated per backend
    (`<out>/<Package>/<BACKEND>/`), the package in each backend folder."""
    if not directory.exists():
        raise NotAPackage(f"{directory}: no such directory")
    if not directory.is_dir():
        raise NotAPackage(f"{directory}: not a directory (give the package's directory)")
    package = _package_in(directory)
    if package is not None:
        return [package]
    inner = [p for sub in sorted(directory.iterdir()) if (p := _package_in(sub)) is not None]
    if inner:
        return inner
    if (directory / "Makefile").is_file():
        raise NotAPackage(
            f"{directory}: not an opgen package (its Makefile does not start with opgen's "
            "banner; generate the package with opgen)"
        )
    raise NotAPackage(
        f"{directory}: not an opgen package (no Makefile; give the directory opgen generated, "
        "e.g. <out>/<PackageName>)"
    )


def _package_in(directory: Path) -> Package | None:
    makefile = directory / "Makefile"
    if not makefile.is_file():
        return None
    with makefile.open("rb") as stream:
        first = stream.readline(4096).decode("utf-8", "replace")
    if match := _CONVERTER_BANNER.match(first):
        return Package(directory, match["name"], Kind.CONVERTER)
    match = _BACKEND_BANNER.match(first)
    if match is None:
        return None
    try:
        kind = Kind(match["backend"])
    except ValueError:
        return None
    return Package(directory, match["name"], kind)
