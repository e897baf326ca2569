"""CPU package generation: layout, golden example, determinism, compile checks, regeneration."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import opgen
from opgen.generate import generate
from tests import factories as f
from tests.conftest import EXAMPLE_CPU, ROOT, build_package

VALID = ROOT / "tests" / "configs" / "valid"
EXAMPLE_CONFIG = ROOT / "examples" / "cpu" / "ExampleOpPackage.xml"


def tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not {"libs", "obj"} & set(p.relative_to(directory).parts)
    }


def run_generator(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from opgen.cli import vendor_main; vendor_main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


def test_vendor_layout(tmp_path: Path) -> None:
    result = run_generator("-p", str(EXAMPLE_CONFIG), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    files = set(tree(tmp_path / "ExampleOpPackage"))
    for expected in (
        "Makefile",
        "makefiles/Makefile.linux-x86_64",
        "makefiles/Android.mk",
        "makefiles/Application.mk",
        "config/ExampleOpPackage.xml",
        "src/ExampleOpPackageInterface.cpp",
        "src/ops/Relu.cpp",
        "src/ops/Softmax.cpp",
        "src/ops/TopK.cpp",
        "include/QNN/QnnOpPackage.h",
        "include/QNN/CPU/QnnCpuOpPackage.h",
    ):
        assert expected in files
    assert "ExampleOpPackageInterfaceProvider" in result.stdout


def test_opgen_owned_files_say_so_on_their_first_line(tmp_path: Path) -> None:
    (out,) = generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package, report = out
    for rendered in package.files:
        first = rendered.content.split(b"\n", 1)[0]
        if rendered.relpath.startswith("config/"):
            continue
        if rendered.owner.value == "opgen":
            assert b"opgen-owned" in first, rendered.relpath
        else:
            assert b"opgen-owned" not in rendered.content, rendered.relpath
    assert sorted(report.created) == sorted(f.relpath for f in package.files)


def test_committed_example_matches_the_generator(tmp_path: Path) -> None:
    """Golden check: every opgen-owned file of the example is what opgen generates today.

    After a deliberate template change, regenerate it with:
        qnn-op-package-generator -p examples/cpu/ExampleOpPackage.xml -o examples/cpu
    """
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    fresh = tree(tmp_path / "ExampleOpPackage")
    committed = tree(EXAMPLE_CPU)
    owned = [p for p in fresh if not p.startswith("src/ops/")]
    assert {p: committed.get(p) for p in owned} == {p: fresh[p] for p in owned}


def test_output_is_deterministic(tmp_path: Path) -> None:
    configs = [VALID / "tensors_and_params.xml", VALID / "symbolic_defaults.xml", EXAMPLE_CONFIG]
    generate(opgen.load_packages(configs), tmp_path / "a")
    generate(opgen.load_packages(configs), tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


COMPILE_CONFIGS = [
    "tensors_and_params.xml",
    "symbolic_defaults.xml",
    "descriptions.xml",
    "multi_a.xml",
]


@pytest.fixture(scope="module")
def skeletons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Unimplemented skeletons of configs with every kind of param, generated once."""
    out = tmp_path_factory.mktemp("skeletons")
    packages = opgen.load_packages(
        [VALID / name for name in COMPILE_CONFIGS] + [VALID / "multi_b.xml"]
    )
    generate(packages, out)
    return out


@pytest.mark.parametrize("compiler", ["g++", "clang++"])
def test_skeletons_compile_warning_free(skeletons: Path, compiler: str, tmp_path: Path) -> None:
    if shutil.which(compiler) is None:
        pytest.skip(f"{compiler} is not installed")
    for package in sorted(p for p in skeletons.iterdir() if p.is_dir()):
        copy = tmp_path / package.name
        shutil.copytree(package, copy)
        library = build_package(copy, cxx=compiler)
        symbols = subprocess.run(
            ["nm", "-D", "--defined-only", str(library)], capture_output=True, text=True
        )
        exported = [line.split()[-1] for line in symbols.stdout.splitlines() if " T " in line]
        assert exported == [f"{package.name}InterfaceProvider"]


def test_compile_error_fails_the_build(tmp_path: Path) -> None:
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package = tmp_path / "ExampleOpPackage"
    (package / "src" / "ops" / "Relu.cpp").write_text("this is not C++\n")
    result = subprocess.run(
        ["make", "cpu_x86"], cwd=package, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert not list(package.glob("libs/*/*.so"))


def test_make_clean_needs_no_ndk_and_android_needs_it(tmp_path: Path) -> None:
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package = tmp_path / "ExampleOpPackage"
    (package / "libs" / "x86_64-linux-clang").mkdir(parents=True)
    env = {"PATH": "/usr/bin:/bin"}
    clean = subprocess.run(["make", "clean"], cwd=package, env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    assert not (package / "libs" / "x86_64-linux-clang").exists()
    android = subprocess.run(
        ["make", "cpu_android"], cwd=package, env=env, capture_output=True, text=True
    )
    assert android.returncode != 0
    assert "ANDROID_NDK_ROOT is not set" in android.stderr


def test_library_is_named_after_the_package_not_the_directory(tmp_path: Path) -> None:
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    renamed = tmp_path / "renamed_dir"
    (tmp_path / "ExampleOpPackage").rename(renamed)
    # Relu alone keeps this compile short: the others are not needed to check the name.
    library = build_package(renamed)
    assert library.name == "libExampleOpPackage.so"


# ---- regeneration ------------------------------------------------------------------------------


def op_with(name: str, *params: str) -> str:
    return f.op(name, params=list(params))


def test_regeneration_keeps_user_code_and_refreshes_the_rest(tmp_path: Path) -> None:
    config = f.write(tmp_path, "pkg.xml", f.config("Regen", [op_with("First")]))
    out = tmp_path / "out"
    assert run_generator("-p", str(config), "-o", str(out)).returncode == 0
    package = out / "Regen"
    kernel = package / "src" / "ops" / "First.cpp"
    kernel.write_text(kernel.read_text() + "// my kernel work\n")

    f.write(
        tmp_path,
        "pkg.xml",
        f.config(
            "Regen",
            [op_with("First", f.param("gain", mandatory=False, default="2.0")), op_with("Second")],
        ),
    )
    result = run_generator("-p", str(config), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert kernel.read_text().endswith("// my kernel work\n")
    assert "float gain{};" in (package / "include" / "ops" / "First.hpp").read_text()
    assert (package / "src" / "ops" / "Second.cpp").exists()
    assert "gain" in (package / "config" / "pkg.xml").read_text()
    assert "1 user-owned kept" in result.stdout


def test_edited_opgen_owned_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    config = f.write(tmp_path, "pkg.xml", f.config("Guard", [op_with("First")]))
    out = tmp_path / "out"
    assert run_generator("-p", str(config), "-o", str(out)).returncode == 0
    package = out / "Guard"
    header = package / "include" / "ops" / "First.hpp"
    header.write_text(header.read_text() + "// hand edit\n")
    f.write(tmp_path, "pkg.xml", f.config("Guard", [op_with("First"), op_with("Second")]))
    before = tree(package)

    result = run_generator("-p", str(config), "-o", str(out))
    assert result.returncode == 1
    assert "include/ops/First.hpp" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(package) == before

    forced = run_generator("-p", str(config), "-o", str(out), "-f")
    assert forced.returncode == 0, forced.stderr
    assert "// hand edit" not in header.read_text()
    assert (
        (package / ".opgen" / "backup" / "include" / "ops" / "First.hpp")
        .read_text()
        .endswith("// hand edit\n")
    )
    assert (package / "src" / "ops" / "Second.cpp").exists()


def test_force_regenerates_user_files_with_a_backup(tmp_path: Path) -> None:
    config = f.write(tmp_path, "pkg.xml", f.config("Forced", [op_with("Only")]))
    out = tmp_path / "out"
    run_generator("-p", str(config), "-o", str(out))
    kernel = out / "Forced" / "src" / "ops" / "Only.cpp"
    kernel.write_text("// user kernel\n")
    (out / "Forced" / "libs").mkdir()
    assert run_generator("-p", str(config), "-o", str(out), "-f").returncode == 0
    assert "kernel not implemented yet" in kernel.read_text()
    assert (
        out / "Forced" / ".opgen" / "backup" / "src" / "ops" / "Only.cpp"
    ).read_text() == "// user kernel\n"
    assert not (out / "Forced" / "libs").exists()


def test_removed_op_files_are_kept_with_a_warning(tmp_path: Path) -> None:
    config = f.write(tmp_path, "pkg.xml", f.config("Shrink", [op_with("Keep"), op_with("Drop")]))
    out = tmp_path / "out"
    run_generator("-p", str(config), "-o", str(out))
    f.write(tmp_path, "pkg.xml", f.config("Shrink", [op_with("Keep")]))
    result = run_generator("-p", str(config), "-o", str(out))
    assert result.returncode == 0
    assert "src/ops/Drop.cpp is no longer produced" in result.stderr
    assert (out / "Shrink" / "src" / "ops" / "Drop.cpp").exists()


def test_several_backends_get_one_package_each(tmp_path: Path) -> None:
    text = f.config(
        "Both",
        [f.op("A", "CPU"), f.op("B", "CPU")],
        [
            '<SupplementalOpDefList Backend="CPU"><SupportedOps><OpName>A</OpName></SupportedOps>'
            "<SupplementalOpDef><Name>A</Name></SupplementalOpDef></SupplementalOpDefList>"
        ],
    )
    packages = opgen.load_packages([f.write(tmp_path, "b.xml", text)])
    generate(packages, tmp_path / "out")
    assert (tmp_path / "out" / "Both" / "Makefile").exists()


def test_a_config_mixing_backends_generates_a_package_per_backend(tmp_path: Path) -> None:
    text = f.config("Mixed", [f.op("A", "CPU"), f.op("B", "DSP")])
    packages = opgen.load_packages([f.write(tmp_path, "m.xml", text)])
    generate(packages, tmp_path / "out")
    cpu_ops = (tmp_path / "out" / "Mixed" / "CPU" / "src" / "ops").iterdir()
    assert sorted(p.name for p in cpu_ops) == ["A.cpp"]
    assert sorted(
        p.name for p in (tmp_path / "out" / "Mixed" / "DSP" / "src" / "ops").iterdir()
    ) == ["B.cpp"]


def test_symlinked_directory_cannot_lead_outside(tmp_path: Path) -> None:
    config = f.write(tmp_path, "pkg.xml", f.config("Linked", [op_with("One")]))
    out = tmp_path / "out"
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "Linked").mkdir(parents=True)
    (out / "Linked" / "src").symlink_to(outside)
    result = run_generator("-p", str(config), "-o", str(out))
    assert result.returncode == 1
    assert "resolves outside" in result.stderr
    assert list(outside.iterdir()) == []


def test_qnn_sdk_root_switches_to_the_sdk_headers(tmp_path: Path) -> None:
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    package = tmp_path / "ExampleOpPackage"
    sdk = tmp_path / "sdk"
    shutil.copytree(package / "include" / "QNN", sdk / "include" / "QNN")
    shutil.rmtree(package / "include" / "QNN")  # the build must not fall back to the bundled copy
    result = subprocess.run(
        ["make", "-j2", "cpu_x86", f"QNN_SDK_ROOT={sdk}"],
        cwd=package,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"-I{sdk}/include/QNN" in result.stdout
    assert (package / "libs" / "x86_64-linux-clang" / "libExampleOpPackage.so").exists()


def test_an_unusable_output_location_is_a_clean_error(tmp_path: Path) -> None:
    blocker = f.write(tmp_path, "afile", "x")
    result = run_generator("-p", str(EXAMPLE_CONFIG), "-o", str(blocker / "sub"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot write")
    assert "Not a directory" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
