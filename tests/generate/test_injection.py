"""Nothing in a config's text can become code in its package (issue 7, item 1).

Two kinds of test:
- the exploits that were found, each as its own package: an enumeration label whose newline put
  a shell command in the library's static initializers, a config file name whose newline put
  `$(shell ...)` into every Makefile, a default written over two lines and a label ending in a
  backslash (both broke the build);
- a property test: hostile text (line breaks of every kind, backslashes, comment and trigraph
  sequences, `$(`, quotes, controls, non-BMP characters) in every free-text field of a config and
  in its file name. Each package must contain exactly the lines the templates write for the same
  config with plain text (same files, same line counts, differences only inside comments and
  string literals), and the built ones must build warning-free, clean, load, and run nothing.

Generation-only checks run for OPGEN_FUZZ_CONFIGS random configs (default 12); builds for
OPGEN_FUZZ_BUILDS of them (default 1 CPU + 1 GPU package; more are marked slow). OPGEN_FUZZ_SEED
shifts the seeds, which every failure names.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

import opgen
from opgen import naming
from opgen.generate import plan_outputs
from tests.conftest import build_package
from tests.generate.test_gpu_generation import opencl_context

FUZZ_CONFIGS = int(os.environ.get("OPGEN_FUZZ_CONFIGS", "12"))
FUZZ_BUILDS = int(os.environ.get("OPGEN_FUZZ_BUILDS", "1"))
FUZZ_SEED = int(os.environ.get("OPGEN_FUZZ_SEED", "0"))
OPS_PER_CONFIG = 5
COMPILERS = ["g++"] + (["clang++"] if shutil.which("clang++") else [])
SENTINEL = "PWNED"

# Pieces that ended a context somewhere (all legal in XML 1.0 text).
PIECES = [
    "\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\t", "\x7f", "\x9b", "\\", "\\\n", "*/",
    "/*", "//", "??/", "??=", "???", "$(", "$$", "$(shell touch PWNED)", "`touch PWNED`",
    "$(touch PWNED)", '"', "'", ')opgen_cl"', 'R"(', "#include <cstdlib>", "#define x",
    '\n};\nextern "C" int system(const char*);\ninline int pwned = system("touch PWNED");\n',
    "{{", "}}", "{%", "<", "&", "]]>", "-->", "[[", "%s%n", "\u202e", "\u2066", "\ufeff",
    "\u200b", "\U0001f600", "\U0010fffd", "é", "e\u0301", "\u4e2d",
]  # fmt: skip
# Whitespace the default grammar skips between list items.
SPACES = [" ", "\t", "\n", "\r\n", "\u2028", "\u2029", "\x85", "\u3000", "\xa0"]


def xml_char(rng: random.Random) -> str:
    while True:
        code = rng.choice([rng.randrange(0x20, 0x7F), rng.randrange(0x80, 0x10FFFF)])
        if not 0xD800 <= code <= 0xDFFF and code not in (0xFFFE, 0xFFFF):
            return chr(code)


def hostile(rng: random.Random) -> str:
    parts = [
        rng.choice(PIECES) if rng.random() < 0.7 else xml_char(rng)
        for _ in range(rng.randint(1, 8))
    ]
    return "".join(parts)


def hostile_file_name(rng: random.Random) -> bytes:
    """A file name no program would choose: any byte but '/' and NUL, undecodable ones too."""
    text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4))).replace("/", "|")
    raw = text.encode("utf-8")[:150] + bytes([rng.choice([0xFF, 0xC3, 0x80])])
    return b"cfg " + raw.replace(b"\0", b"") + b".xml"


# ---- configs -----------------------------------------------------------------------------------


@dataclass
class Texts:
    """The free text of one config, drawn once; `plain` gives the matching baseline."""

    rng: random.Random
    plain: bool
    drawn: list[str] = field(default_factory=list)

    def __call__(self) -> str:
        text = hostile(self.rng)
        self.drawn.append(text)
        return "plain text" if self.plain else text


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrs)
    element.text = text
    return element


def tensor(parent: etree._Element, tag: str, name: str, texts: Texts) -> etree._Element:
    element = sub(parent, tag)
    sub(element, "Name", name)
    sub(sub(element, "Description"), "Content", texts())
    sub(element, "Constraint", texts(), id="0", Type="Description")
    return element


def shape(element: etree._Element, rank: str, texts: Texts) -> None:
    node = sub(element, "Shape")
    sub(node, "Rank", rank)
    sub(node, "Text", texts())


def enum_labels(rng: random.Random, op: int, plain: bool) -> list[str]:
    """Unique labels; the baseline's are the constants the hostile ones map to, so both
    packages declare the same enumerators and differ only in comments."""
    labels = [f"L{op}x{i} " + hostile(rng) for i in range(3)]
    return [naming.enum_constant(label.strip(), set()) for label in labels] if plain else labels


def config_xml(seed: int, backend: str, plain: bool) -> bytes:
    rng = random.Random(seed)
    texts = Texts(rng, plain)
    attrs = {"PackageName": f"Fuzz{backend}{seed}", "Domain": texts(), "Version": texts()}
    root = etree.Element("OpDefCollection", attrs)
    ops = sub(root, "OpDefList")
    for i in range(OPS_PER_CONFIG):
        op = sub(ops, "OpDef")
        sub(op, "Name", f"Op{i}")
        description = sub(op, "Description")
        sub(description, "Content", texts())
        sub(description, "Code", texts())
        sub(op, "Reference", texts(), Source=texts(), Url=texts())
        element = tensor(op, "Input", "in[0]", texts)
        sub(element, "Mandatory", "true")
        sub(element, "Datatype", "QNN_DATATYPE_FLOAT_32")
        shape(element, "ND", texts)
        element = tensor(op, "Output", "out[0]", texts)
        sub(element, "Mandatory", "true")
        sub(element, "Datatype", "QNN_DATATYPE_FLOAT_32")
        shape(element, "ND", texts)

        labels = enum_labels(rng, i, plain)
        element = tensor(op, "Parameter", "mode", texts)
        sub(element, "Mandatory", "false")
        sub(element, "Datatype", "QNN_DATATYPE_UINT_32")
        shape(element, "SCALAR", texts)
        sub(element, "Default", labels[rng.randrange(3)])
        enumeration = sub(element, "Enumeration")
        for label in labels:
            sub(enumeration, "Enum", label)

        element = tensor(op, "Parameter", "pads", texts)
        sub(element, "Mandatory", "false")
        sub(element, "Datatype", "QNN_DATATYPE_INT_32")
        shape(element, "1D", texts)
        space = [rng.choice(SPACES) for _ in range(4)]
        sub(element, "Default", "{1,2}" if plain else "{{{}1{},{}2{}}}".format(*space))

        sub(op, "SupportedBackend", backend)
    supplemental = sub(root, "SupplementalOpDefList", Backend=backend, Runtime=texts())
    sup_op = sub(supplemental, "SupplementalOpDef")
    sub(sup_op, "Name", "Op0")
    element = sub(sup_op, "Input")
    sub(element, "Name", "in[0]")
    sub(element, "Constraint", texts(), id="0", Type="Description")
    sub(element, "Datatype", "QNN_DATATYPE_FLOAT_32")
    sub(sub(element, "Shape"), "Text", texts())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def write_config(directory: Path, name: bytes, xml: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = Path(os.fsdecode(os.fsencode(directory) + b"/" + name))
    path.write_bytes(xml)
    return path


# ---- "no line the templates did not write" ----------------------------------------------------

C_LIKE = (".cpp", ".hpp", ".h", ".cl")
MAKE_LIKE = ("Makefile", ".mk", "Makefile.linux-x86_64", "CMakeLists.txt")  # comments: #


def strip_c(line: str) -> str:
    """The code of one C/C++/OpenCL line: comments dropped, literal contents emptied."""
    out, i = [], 0
    while i < len(line):
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            end = line.find("*/", i + 2)
            assert end >= 0, f"block comment left open: {line!r}"
            i = end + 2
            out.append(" ")
            continue
        if line[i] in "\"'":
            quote, j = line[i], i + 1
            while line[j] != quote:
                j += 2 if line[j] == "\\" else 1
            out.append(quote * 2)
            i = j + 1
            continue
        out.append(line[i])
        i += 1
    return "".join(out).rstrip()


def strip_make(line: str) -> str:
    return "" if line.lstrip().startswith("#") else line


def code_lines(relpath: str, content: bytes) -> list[str]:
    text = content.decode("utf-8")
    lines = text.split("\n")
    assert len(text.splitlines()) == len(lines) - (1 if text.endswith("\n") else 0), (
        f"{relpath}: a character other than \\n breaks a line"
    )
    if relpath.endswith(C_LIKE):
        return [strip_c(line) for line in lines]
    assert relpath.endswith(MAKE_LIKE), relpath
    return [strip_make(line) for line in lines]


SAFE_COPY = re.compile(r"config/[A-Za-z0-9_][A-Za-z0-9._-]*\.xml\Z")


def assert_same_skeleton(hostile: dict[str, bytes], plain: dict[str, bytes], where: str) -> None:
    copies = sorted(p for p in hostile if p.startswith("config/"))
    assert len(copies) == len([p for p in plain if p.startswith("config/")]), where
    assert all(SAFE_COPY.match(p) for p in copies), (where, copies)
    files = {p for p in hostile if not p.startswith("config/")}
    assert files == {p for p in plain if not p.startswith("config/")}, where
    for relpath in sorted(files):
        if hostile[relpath] == plain[relpath]:
            continue
        ours, theirs = code_lines(relpath, hostile[relpath]), code_lines(relpath, plain[relpath])
        assert len(ours) == len(theirs), f"{where}: {relpath} has a different number of lines"
        for n, (a, b) in enumerate(zip(ours, theirs, strict=True), 1):
            assert a == b, f"{where}: {relpath}:{n} differs outside comments and literals"


def rendered(config: Path, out: Path) -> dict[str, bytes]:
    (output,) = plan_outputs(opgen.load_packages([config]), out)
    return {f.relpath: f.content for f in output.files}


def seeds(count: int) -> Iterator[int]:
    return iter(range(FUZZ_SEED, FUZZ_SEED + count))


@pytest.mark.parametrize("backend", ["CPU", "GPU"])
def test_hostile_text_changes_only_comments_and_literals(backend: str, tmp_path: Path) -> None:
    tried = 0
    for seed in seeds(FUZZ_CONFIGS):
        name = hostile_file_name(random.Random(-seed - 1))
        config = write_config(tmp_path / f"h{seed}", name, config_xml(seed, backend, plain=False))
        baseline = write_config(
            tmp_path / f"p{seed}", b"plain.xml", config_xml(seed, backend, True)
        )
        where = f"seed {seed} ({backend}, OPGEN_FUZZ_SEED={FUZZ_SEED})"
        assert_same_skeleton(rendered(config, tmp_path), rendered(baseline, tmp_path), where)
        tried += 1
    assert tried == FUZZ_CONFIGS


# ---- building, cleaning and loading ------------------------------------------------------------


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)


def generate_cli(config: Path, out: Path) -> Path:
    """`opgen generate` as a user runs it."""
    result = run(
        [sys.executable, "-m", "opgen", "generate", str(config), "-o", str(out)], cwd=out.parent
    )
    assert result.returncode == 0, result.stderr
    (package,) = [p for p in out.iterdir() if p.is_dir()]
    return package


def assert_nothing_ran(root: Path) -> None:
    assert not list(root.rglob(SENTINEL)), "a payload from the config ran"


def build_clean_load(package: Path, backend: str, workdir: Path) -> None:
    """Build with each compiler (warnings are errors), load the library through the runtime,
    `make clean` in between and at the end; a sentinel file would show that anything ran."""
    target = "cpu_x86" if backend == "CPU" else "gpu_x86"
    suffix = "" if backend == "CPU" else "::GPU"
    for cxx in COMPILERS:
        clean = run(["make", "clean"], cwd=package)
        assert clean.returncode == 0, clean.stderr
        assert_nothing_ran(workdir)
        library = build_package(package, target, cxx)
        assert_nothing_ran(workdir)
        info = run([sys.executable, "-m", "opgen", "info", f"{library}{suffix}"], cwd=workdir)
        assert info.returncode == 0, info.stderr
        assert_nothing_ran(workdir)
    clean = run(["make", "clean"], cwd=package)
    assert clean.returncode == 0, clean.stderr
    assert not (package / "libs" / "x86_64-linux-clang").exists()
    assert_nothing_ran(workdir)


BUILD_SEEDS = [
    pytest.param(seed, marks=[pytest.mark.slow] if i else [])
    for i, seed in enumerate(seeds(max(FUZZ_BUILDS, 1)))
]


@pytest.mark.parametrize("backend", ["CPU", "GPU"])
@pytest.mark.parametrize("seed", BUILD_SEEDS)
def test_hostile_package_builds_cleans_and_loads(backend: str, seed: int, tmp_path: Path) -> None:
    name = hostile_file_name(random.Random(-seed - 1))
    config = write_config(tmp_path / "cfg", name, config_xml(seed, backend, plain=False))
    out = tmp_path / "out"
    out.mkdir()
    package = generate_cli(config, out)
    build_clean_load(package, backend, tmp_path)
    if backend == "GPU":  # the kernels, with their escaped comments, are valid OpenCL C
        cl = pytest.importorskip("pyopencl")
        context = opencl_context()
        kernels = sorted((package / "src" / "ops").glob("*.cl"))
        assert len(kernels) == OPS_PER_CONFIG
        for path in kernels:
            program = cl.Program(context, path.read_text(encoding="ascii")).build(["-Werror"])
            assert [k.function_name for k in program.all_kernels()] == [path.stem]


# ---- the exploits that were found --------------------------------------------------------------

ESCAPE_ENUM = 'x\n};\nextern "C" int system(const char*);\ninline int pwned = system("touch PWNED");\nenum class Pwned : unsigned {'  # noqa: E501


def exploit_config(tmp_path: Path, name: bytes, param: str) -> Path:
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<OpDefCollection PackageName="Exploit" Domain="test" Version="1.0"><OpDefList><OpDef>
<Name>Op</Name><Description><Content>exploit</Content></Description>
<Input><Name>in[0]</Name><Mandatory>true</Mandatory><Datatype>QNN_DATATYPE_FLOAT_32</Datatype>
<Shape><Rank>ND</Rank></Shape></Input>
<Output><Name>out[0]</Name><Mandatory>true</Mandatory><Datatype>QNN_DATATYPE_FLOAT_32</Datatype>
<Shape><Rank>ND</Rank></Shape></Output>
{param}
<SupportedBackend>CPU</SupportedBackend>
</OpDef></OpDefList></OpDefCollection>
"""
    return write_config(tmp_path / "cfg", name, xml.encode("utf-8"))


def enum_param(*labels: str) -> str:
    items = "".join(f"<Enum>{label}</Enum>" for label in labels)
    return (
        "<Parameter><Name>mode</Name><Mandatory>false</Mandatory>"
        "<Datatype>QNN_DATATYPE_UINT_32</Datatype><Shape><Rank>SCALAR</Rank></Shape>"
        f"<Enumeration>{items}</Enumeration></Parameter>"
    )


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def exploit_package(tmp_path: Path, name: bytes, param: str) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    return generate_cli(exploit_config(tmp_path, name, param), out)


def test_enum_label_with_a_newline_runs_nothing_when_the_library_loads(tmp_path: Path) -> None:
    package = exploit_package(tmp_path, b"ops.xml", enum_param(xml_text(ESCAPE_ENUM), "y"))
    build_clean_load(package, "CPU", tmp_path)
    header = (package / "include/ops/Op.hpp").read_text(encoding="utf-8")
    assert "\\ninline int pwned" in header  # the label, escaped, inside its comment


def test_config_file_name_with_a_newline_runs_nothing_on_make(tmp_path: Path) -> None:
    name = b"ops\n$(shell touch PWNED)\n#.xml"
    package = exploit_package(tmp_path, name, "")
    build_clean_load(package, "CPU", tmp_path)
    makefile = (package / "Makefile").read_text(encoding="utf-8")
    assert makefile.splitlines()[0].endswith(
        "from ops\\n$$(shell touch PWNED)\\n#.xml. "
        "opgen regenerates it; edits are detected and refused."
    )
    assert [p.name for p in (package / "config").iterdir()] == ["ops___shell_touch_PWNED___.xml"]


def test_default_written_over_two_lines_builds(tmp_path: Path) -> None:
    param = (
        "<Parameter><Name>pads</Name><Mandatory>false</Mandatory>"
        "<Datatype>QNN_DATATYPE_INT_32</Datatype><Shape><Rank>1D</Rank></Shape>"
        "<Default>{1,\n    2}</Default></Parameter>"
    )
    package = exploit_package(tmp_path, b"ops.xml", param)
    build_clean_load(package, "CPU", tmp_path)
    header = (package / "include/ops/Op.hpp").read_text(encoding="utf-8")
    assert "// INT_32; rank 1D; default {1,\\n    2}\n" in header


def test_label_ending_in_a_backslash_builds(tmp_path: Path) -> None:
    package = exploit_package(tmp_path, b"ops.xml", enum_param("a\\", "b"))
    build_clean_load(package, "CPU", tmp_path)
    header = (package / "include/ops/Op.hpp").read_text(encoding="utf-8")
    assert "  a_ = 0,  // a\\x5C\n  b = 1,\n" in header
