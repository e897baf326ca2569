"""Loading packages: LIB[:PROVIDER[:TARGET]], the provider default, and libraries that misbehave
(each must give an OpPackageError, never a crash)."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest

from opgen.runtime import OpPackage, OpPackageError, PackageLoadError, PackageSpec
from opgen.runtime.elf import ElfError, exported_symbols


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("libX.so", PackageSpec("libX.so")),
        ("libX.so:XInterfaceProvider", PackageSpec("libX.so", "XInterfaceProvider")),
        ("a/libX.so:P:cpu", PackageSpec("a/libX.so", "P", "CPU")),
        ("libX.so::GPU", PackageSpec("libX.so", None, "GPU")),
        ("libX.so:P:", PackageSpec("libX.so", "P", None)),
    ],
)
def test_package_spec_parsing(text: str, expected: PackageSpec) -> None:
    assert PackageSpec.parse(text) == expected


@pytest.mark.parametrize("text", ["", "a:b:c:d", ":P"])
def test_malformed_package_specs(text: str) -> None:
    with pytest.raises(PackageLoadError):
        PackageSpec.parse(text)


def test_a_path_with_a_colon_that_exists_is_a_library(tmp_path: Path) -> None:
    odd = tmp_path / "lib:odd.so"
    odd.write_bytes(b"")
    assert PackageSpec.parse(str(odd)) == PackageSpec(str(odd))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("noprovider", r"exports no \*InterfaceProvider symbol"),
        (
            "providererror",
            r"^ProviderError: ProviderErrorInterfaceProvider failed with error 3200 "
            r"\(QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT\)$",
        ),
        (
            "badversion",
            r"^BadVersion: BadVersionInterfaceProvider reports interface version 9\.9\.9; "
            r"the runtime supports 1\.x with x >= 4$",
        ),
        ("nullinfo", r"^NullInfo: getInfo returned success but no info \(NULL\)$"),
        ("nullslot", r"NullSlotInterfaceProvider left interface function\(s\) NULL: createOpImpl"),
        ("nullname", r"getInfo: operation name 1 is NULL"),
        ("twoproviders", r"several interface providers \(FirstInterfaceProvider, Second"),
    ],
)
def test_misbehaving_libraries_are_reported(
    bad_libraries: dict[str, Path], name: str, message: str
) -> None:
    with pytest.raises(OpPackageError, match=message):
        OpPackage.register(str(bad_libraries[name]))


def test_a_provider_error_carries_its_code(bad_libraries: dict[str, Path]) -> None:
    with pytest.raises(OpPackageError) as caught:
        OpPackage.register(str(bad_libraries["providererror"]))
    assert (caught.value.code, caught.value.stage) == (3200, "ProviderErrorInterfaceProvider")
    assert caught.value.code_name == "QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT"


def test_the_provider_is_found_by_symbol_and_can_be_named(bad_libraries: dict[str, Path]) -> None:
    library = str(bad_libraries["good"])  # libgood.so exports GoodInterfaceProvider
    with OpPackage.register(library) as package:
        assert package.info.interface_provider == "GoodInterfaceProvider"
        assert package.info.operations == ("Noop",)
        assert package.info.sdk_build_id == "test"
        assert package.info.core_api_version is None
    with OpPackage.register(f"{library}:GoodInterfaceProvider:CPU") as package:
        assert package.name == "BadPkg"
    two = str(bad_libraries["twoproviders"])
    with pytest.raises(OpPackageError, match="SecondInterfaceProvider reports interface version"):
        OpPackage.register(f"{two}:SecondInterfaceProvider")  # sets nothing: version 0.0.0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{dir}/libmissing.so", r"op package library '.*libmissing\.so' does not exist"),
        ("{good}:NopeInterfaceProvider", r"has no interface provider 'NopeInterfaceProvider'"),
        ("{good}::TPU", r"unknown target 'TPU' \(supported: CPU, GPU, HTP, HTP_FP16, DSP\)"),
        (
            "{dir}/libdspmarked.so::CPU",
            r"^target CPU: the library exports opgen_dsp_package: it is a DSP op package; register "
            r"it as LIB::DSP \(or as LIB alone: the runtime detects the target\)$",
        ),
        ("{dir}/bad.c", r"cannot load op package library"),
    ],
)
def test_unusable_requests_name_the_problem(
    bad_libraries: dict[str, Path], spec: str, message: str
) -> None:
    good = bad_libraries["good"]
    with pytest.raises(PackageLoadError, match=message):
        OpPackage.register(spec.format(good=good, dir=good.parent))


def test_elf_reader_agrees_with_nm(bad_libraries: dict[str, Path], rt_library: Path) -> None:
    assert "GoodInterfaceProvider" in exported_symbols(bad_libraries["good"])
    symbols = exported_symbols(rt_library)
    assert [s for s in symbols if s.endswith("InterfaceProvider")] == ["RtPkgInterfaceProvider"]
    if shutil.which("nm"):
        listed = subprocess.run(
            ["nm", "-D", "--defined-only", str(rt_library)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        names = {line.split()[-1] for line in listed.splitlines() if line.split()[-2] in "TWVBDR"}
        assert set(symbols) == names


def test_elf_reader_refuses_other_files(tmp_path: Path) -> None:
    text = tmp_path / "lib.so"
    text.write_text("not an ELF file")
    with pytest.raises(ElfError, match="not an ELF file"):
        exported_symbols(text)
    truncated = tmp_path / "cut.so"
    truncated.write_bytes(b"\x7fELF\x02\x01\x01" + b"\0" * 57)
    with pytest.raises(ElfError):
        exported_symbols(truncated)


def test_messages_from_init_reach_logging_unformatted_unless_plain_strings(
    bad_libraries: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    good = str(bad_libraries["good"])
    with caplog.at_level(logging.DEBUG, logger="opgen.runtime"), OpPackage.register(good) as p:
        assert p.messages == ("init: hello", "init: %d widgets")
    records = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert records[:3] == [
        ("opgen.runtime.Good", logging.ERROR, "init: hello"),
        ("opgen.runtime.Good", logging.INFO, "init: %d widgets"),
        ("opgen.runtime.Good", logging.DEBUG, "profile (type 1): 1.500 ms"),
    ]
