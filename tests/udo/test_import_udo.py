"""`opgen import-udo`: legacy SNPE UDO JSON configs to OpDef configs.

Valid configs convert into XML that opgen's loader accepts with the meaning the JSON gave
(per-core datatypes, quantization, params, defaults), and that generates the same CPU and GPU
packages as the hand-written equivalent; broken configs give located diagnostics (snapshots in
configs/bad/*.expected, rewritten by `python -m tests.udo.regenerate`) and write nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st

from opgen import load_packages
from opgen.generate import PackageOutput, plan_outputs
from opgen.model import Backend, Datatype, Layout, Rank
from opgen.resources import schema_path
from opgen.udo import import_udo
from opgen.udo.jsonpos import JArray, JObject, JsonSyntaxError, JValue, parse, plain
from tests.udo import regenerate

CONFIGS = Path(__file__).resolve().parent / "configs"


def opgen(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opgen", *map(str, args)], capture_output=True, text=True, timeout=60
    )


def imported(tmp_path: Path, name: str, stem: str | None = None) -> Path:
    out = tmp_path / f"{stem or Path(name).stem}.xml"
    run = opgen("import-udo", CONFIGS / name, "-o", out)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    return out


@pytest.mark.parametrize("case", sorted(p.name for p in (CONFIGS / "bad").glob("*.json")))
def test_broken_configs_give_located_diagnostics_and_write_nothing(
    case: str, tmp_path: Path
) -> None:
    path = CONFIGS / "bad" / case
    done = regenerate.run(path, tmp_path / "out.xml")
    expected = path.with_suffix(".expected").read_text("utf-8")
    assert regenerate.snapshot(done) == expected, "python -m tests.udo.regenerate"
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert all(line.startswith(f"{case}:") for line in lines[:-1])  # file:line:col: error
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # nor a temporary file


def test_per_core_datatypes_and_quantization_per_backend(tmp_path: Path) -> None:
    (package,) = load_packages([imported(tmp_path, "softmax.json")])
    assert package.name == "SoftmaxUdoPackage"
    assert package.backends == (Backend.CPU, Backend.GPU, Backend.DSP)
    expected = {
        Backend.CPU: Datatype.FLOAT_32,
        Backend.GPU: Datatype.FLOAT_32,
        Backend.DSP: Datatype.UFIXED_POINT_8,  # UINT_8 with quantization_mode TF
    }
    for backend, dtype in expected.items():
        (op,) = package.resolve(backend).ops
        assert [t.datatypes for t in op.inputs + op.outputs] == [(dtype,), (dtype,)]
        assert [(t.name, t.mandatory) for t in op.inputs + op.outputs] == [
            ("input", True),
            ("output", True),
        ]
        axis, beta = op.params
        assert (axis.name, axis.datatypes, axis.rank, axis.mandatory) == (
            "axis",
            (Datatype.INT_32,),
            Rank.SCALAR,
            False,
        )
        assert axis.default is not None and axis.default.text == "-1"
        assert beta.default is not None and beta.default.text == "1.0"


def test_tensors_params_and_defaults(tmp_path: Path) -> None:
    (package,) = load_packages([imported(tmp_path, "scale.json")])
    view = package.resolve(Backend.CPU)
    scale, clip = view.ops
    x, shift = scale.inputs
    assert (x.layout, x.is_static, shift.is_static) == (Layout.NHWC, False, True)
    assert [(p.name, p.rank, p.mandatory, p.default and p.default.text) for p in scale.params] == [
        ("gain", Rank.SCALAR, False, "2.5"),
        ("steps", Rank.SCALAR, True, None),
        ("weights", Rank.ND, False, "[1, 0.5, 0.25]"),
    ]
    assert [t.name for t in clip.inputs + clip.outputs] == ["in[0]", "out[0]"]  # unnamed
    (gpu_clip,) = [op for op in package.resolve(Backend.GPU).ops if op.name == "Clip8"]
    assert gpu_clip.inputs[0].datatypes == (Datatype.FLOAT_16,)
    assert clip.inputs[0].datatypes == (Datatype.FLOAT_32,)


def tree(outputs: list[PackageOutput]) -> dict[str, bytes]:
    files = {}
    for output in outputs:
        assert output.backend is not None
        for f in output.files:
            if not f.relpath.startswith("config/"):  # copies of the input configs themselves
                files[f"{output.backend.value}/{f.relpath}"] = f.content
    return files


def test_generates_the_same_packages_as_the_hand_written_config(tmp_path: Path) -> None:
    """scale.xml says what scale.json says, as a user would write it (an explicit datatype and
    a GPU supplement where the JSON has per-core types); both files are called ScaleUdo.xml,
    which the generated files name."""
    (tmp_path / "json").mkdir()
    (tmp_path / "hand").mkdir()
    converted = imported(tmp_path / "json", "scale.json", "ScaleUdo")
    hand = tmp_path / "hand" / "ScaleUdo.xml"
    hand.write_bytes((CONFIGS / "scale.xml").read_bytes())
    ours = plan_outputs(load_packages([converted]), tmp_path / "out")
    theirs = plan_outputs(load_packages([hand]), tmp_path / "out")
    assert [o.backend for o in ours] == [Backend.CPU, Backend.GPU]
    assert tree(ours) == tree(theirs)
    assert len(tree(ours)) > 30


def test_the_xml_is_schema_valid_and_deterministic(tmp_path: Path) -> None:
    text = (CONFIGS / "softmax.json").read_text("utf-8")
    first = import_udo(Path("softmax.json"), text)
    again = import_udo(Path("elsewhere/softmax.json"), text)
    assert first.xml is not None and first.xml == again.xml
    xmlschema.XMLSchema(str(schema_path())).validate(first.xml.decode())
    assert first.xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<OpDefCollection ')


def test_an_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "mine.xml"
    out.write_text("my config", "utf-8")
    run = opgen("import-udo", CONFIGS / "scale.json", "-o", out)
    assert run.returncode == 1 and "exists; use --force" in run.stderr
    assert out.read_text("utf-8") == "my config"
    assert opgen("import-udo", CONFIGS / "scale.json", "-o", out, "--force").returncode == 0
    assert load_packages([out])[0].name == "ScaleUdoPackage"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "x.json:1:1: error: invalid JSON: the file holds no JSON value"),
        (b"[1, 2]", "x.json:1:1: error: the config must be a JSON object"),
        (b'{"UdoPackage_0": {}} x', "x.json:1:22: error: invalid JSON: extra data after"),
        (b'{"a": "\\q"}', "x.json:1:8: error: invalid JSON: invalid \\escape"),
        (b"\xff{}", "x.json: error: not UTF-8 text (byte 0)"),
        (b'{\n  "Udo": 1}', "x.json:2:3: error: unknown key 'Udo' in the config"),
    ],
)
def test_unreadable_configs(content: bytes, message: str, tmp_path: Path) -> None:
    (tmp_path / "x.json").write_bytes(content)
    run = subprocess.run(
        [sys.executable, "-m", "opgen", "import-udo", "x.json", "-o", "out.xml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert message in run.stderr, run.stderr
    assert not (tmp_path / "out.xml").exists()


# ---- the position-keeping JSON reader --------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


def offsets(text: str, value: JValue) -> list[tuple[int, object]]:
    """Each value's offset in `text` (from its line and column) and its plain value."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    out = [(starts[value.at.line - 1] + value.at.column - 1, plain(value))]
    v = value.value
    children = (
        [m[2] for m in v.members]
        if isinstance(v, JObject)
        else v.items
        if isinstance(v, JArray)
        else []
    )
    for child in children:
        out += offsets(text, child)
    return out


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from([None, 0, 2]), st.booleans())
def test_reader_gives_json_loads_values_at_their_positions(
    data: object, indent: int | None, ascii_only: bool
) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    root = parse(text)
    assert plain(root) == json.loads(text)
    decoder = json.JSONDecoder()
    for offset, value in offsets(text, root):
        assert decoder.raw_decode(text, offset)[0] == value


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{\n  "a": 1,\n}', 3, 1),
        ("[1,\n 2\n 3]", 3, 2),
        ('{"a": tru}', 1, 7),
        ('{"a": 1, "a": 2}', 1, 10),
        ("[" * 300, 1, 202),
        ('"abc', 1, 1),
    ],
)
def test_reader_locates_syntax_errors(text: str, line: int, column: int) -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        parse(text)
    assert (caught.value.at.line, caught.value.at.column) == (line, column)


def test_a_converted_dsp_core_generates_a_dsp_package_that_builds(tmp_path: Path) -> None:
    """softmax.json (CPU, GPU and DSP cores; UINT_8 with TF quantization on DSP) becomes one
    package per backend; the DSP one takes UFIXED_POINT_8 and builds for the host."""
    if shutil.which("g++") is None:
        pytest.skip("needs g++")
    converted = imported(tmp_path, "softmax.json", "SoftmaxUdo")
    (package,) = load_packages([converted])
    (op,) = package.resolve(Backend.DSP).ops
    assert op.inputs[0].datatypes == (Datatype.UFIXED_POINT_8,)
    generated = opgen("generate", converted, "-o", tmp_path / "out", "--backend", "DSP")
    assert generated.returncode == 0, generated.stderr
    env = {**os.environ, "CXX": "g++ -Werror"}
    env.pop("QNN_SDK_ROOT", None)
    built = subprocess.run(
        ["make", "-j2", "dsp_x86"],
        cwd=tmp_path / "out" / "SoftmaxUdoPackage" / "DSP",
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    library = tmp_path / "out" / "SoftmaxUdoPackage" / "DSP" / "build" / "x86_64-linux-clang"
    assert [p.name for p in library.glob("*.so")] == ["libQnnSoftmaxUdoPackage.so"]
