"""`-cop` / `--converter-op-package` through the real CLIs: layout, content, multi-backend
packages, name collisions, and hook files that regeneration never touches."""

from __future__ import annotations

from pathlib import Path

from tests.converter.conftest import BIN, CONFIG, PACKAGE, run

ROOT = Path(__file__).resolve().parents[2]
SUPPLEMENTAL = ROOT / "tests" / "configs" / "valid" / "supplemental.xml"
OPS = ("Bcast", "ReduceOp", "Cat", "Perm", "TopKRule", "Arith", "Nms", "Custom", "Plain")


def files_of(directory: Path) -> set[str]:
    return {
        p.relative_to(directory).as_posix()
        for p in directory.rglob("*")
        if p.is_file() and ".opgen" not in p.relative_to(directory).parts
    }


def test_vendor_cli_writes_the_vendor_layout_next_to_the_runtime_package(cop_package: Path) -> None:
    files = files_of(cop_package)
    # CONVERTER_FACTS §2.2, plus what a bare host needs to build.
    assert {
        "Makefile",
        "ConverterOpPackage/ConverterOpPackage.cpp",
        "ConverterOpPackage/Makefile.linux-x86_64",
    } <= files
    assert {
        "ConverterOpPackage/include/QNN/QnnTypes.h",
        "ConverterOpPackage/include/QNN/QnnOpPackage.h",
        "ConverterOpPackage/include/opgen/ShapeRules.hpp",
        "ConverterOpPackage/src/utils/ShapeRules.cpp",
        "ConverterOpPackage/hooks/ConverterHooks.hpp",
    } <= files
    assert not any(f.startswith(("config/", "include/", "src/")) for f in files)
    assert not any("/QNN/CPU/" in f or "/QNN/HTP/" in f for f in files)
    assert (cop_package.parent / "CopRules" / "src" / "CopRulesInterface.cpp").is_file()


def test_both_clis_report_the_converter_package(tmp_path: Path) -> None:
    vendor = run(BIN / "qnn-op-package-generator", "-p", CONFIG, "-o", tmp_path / "a", "-cop")
    ours = run(BIN / "opgen", "generate", CONFIG, "-o", tmp_path / "b", "--converter-op-package")
    for result, out in ((vendor, tmp_path / "a"), (ours, tmp_path / "b")):
        assert result.returncode == 0, result.stderr
        assert f"converter op package {PACKAGE} -> {out / PACKAGE}" in result.stdout
        assert "build: make cpu -> ConverterOpPackage/libConverterOpPackage.so" in result.stdout
        assert "not generated" not in result.stderr
    assert files_of(tmp_path / "a" / PACKAGE) == files_of(tmp_path / "b" / PACKAGE)
    same = [
        (tmp_path / "a" / PACKAGE / f).read_bytes() == (tmp_path / "b" / PACKAGE / f).read_bytes()
        for f in files_of(tmp_path / "a" / PACKAGE)
    ]
    assert all(same)


def test_without_the_flag_there_is_no_converter_package(tmp_path: Path) -> None:
    result = run(BIN / "qnn-op-package-generator", "-p", CONFIG, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CopRules"]


def test_one_file_holds_every_op_with_c_linkage_and_exported_names(cop_package: Path) -> None:
    cpp = (cop_package / "ConverterOpPackage" / "ConverterOpPackage.cpp").read_text()
    assert cpp.startswith("// opgen-owned file, generated for the converter op package of CopRules")
    extern = cpp[cpp.index('extern "C" {') :]
    for op in OPS:
        assert (
            f"OPGEN_COP_EXPORT Qnn_ErrorHandle_t {op}ShapeInference(Qnn_OpConfig_t* opConfig)"
            in extern
        )
        assert (
            f"OPGEN_COP_EXPORT Qnn_ErrorHandle_t {op}DataTypeInference(Qnn_OpConfig_t* opConfig)"
            in extern
        )
        assert (
            f"OPGEN_COP_EXPORT Qnn_ErrorHandle_t (*{op}OutputInfoInferencePtr)(Qnn_OpConfig_t*) = "
            f"&{op}ShapeInference;"
        ) in extern
        assert (
            f"OPGEN_COP_EXPORT Qnn_ErrorHandle_t (*{op}DataTypeInferencePtr)(Qnn_OpConfig_t*) = "
            f"&{op}DataTypeInference;"
        ) in extern
    assert cpp.index("// ---- Bcast") < cpp.index("// ---- Plain")  # config order


def test_makefiles_build_from_the_bundled_or_the_sdk_headers(cop_package: Path) -> None:
    top = (cop_package / "Makefile").read_text()
    inner = (cop_package / "ConverterOpPackage" / "Makefile.linux-x86_64").read_text()
    assert "\ncpu:\n\t$(MAKE) -C ConverterOpPackage -f Makefile.linux-x86_64\n" in top
    assert "QNN_INCLUDE ?= $(QNN_SDK_ROOT)/include/QNN" in inner
    assert "QNN_INCLUDE ?= include/QNN" in inner
    assert "LIB := libConverterOpPackage.so" in inner
    sources = next(line for line in inner.splitlines() if line.startswith("SOURCES :="))
    assert "hooks/PlainHooks.cpp" in sources and "src/utils/ShapeRules.cpp" in sources


def test_one_converter_package_per_package_whatever_its_backends(tmp_path: Path) -> None:
    result = run(BIN / "opgen", "generate", SUPPLEMENTAL, "-o", tmp_path, "--converter-op-package")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "SupplementalPkg",
        "SupplementalPkg_Converter_Op_Package",
    ]
    assert sorted(p.name for p in (tmp_path / "SupplementalPkg").iterdir()) == ["CPU", "GPU", "HTP"]
    cpp = (
        tmp_path
        / "SupplementalPkg_Converter_Op_Package"
        / "ConverterOpPackage"
        / "ConverterOpPackage.cpp"
    ).read_text()
    assert "BlendCustomShapeInference" in cpp and "GateCustomShapeInference" in cpp


def test_a_package_named_like_a_converter_package_is_refused(tmp_path: Path) -> None:
    clash = tmp_path / "clash.xml"
    clash.write_text(
        CONFIG.read_text().replace(
            'PackageName="CopRules"', 'PackageName="CopRules_Converter_Op_Package"'
        )
    )
    result = run(
        BIN / "opgen", "generate", CONFIG, clash, "-o", tmp_path / "out", "--converter-op-package"
    )
    assert result.returncode == 1
    assert "would both be generated here" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_hook_file_is_created_once_and_kept(tmp_path: Path) -> None:
    args = (BIN / "opgen", "generate", CONFIG, "-o", tmp_path, "--converter-op-package")
    assert run(*args).returncode == 0
    hook = tmp_path / PACKAGE / "ConverterOpPackage" / "hooks" / "PlainHooks.cpp"
    generated = hook.read_text()
    assert "This file is yours" in generated
    assert 'fill in opgen::hooks::Plain::y_shape in "\n' in generated
    hook.write_text(generated + "// my edit\n")
    again = run(*args)
    assert again.returncode == 0, again.stderr
    assert hook.read_text() == generated + "// my edit\n"
    assert "user-owned kept" in again.stdout
