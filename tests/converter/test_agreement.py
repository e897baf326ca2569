"""The compiled rules agree with the Python evaluator (opgen.shapes.evaluate) on random nodes:
same output dims and dtypes where the evaluator infers them, a failure code where it raises.
Seeded; OPGEN_STRESS=N runs N times more cases."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import opgen
from opgen.model import Datatype, OpDef
from opgen.shapes import rules_of
from opgen.shapes.evaluate import RuleError, TensorFacts, infer
from tests.converter.conftest import CONFIG
from tests.converter.harness import BOOL, F32, I32, U32, ConverterLibrary, Node

CASES_PER_OP = 50 * max(1, int(os.environ.get("OPGEN_STRESS", "1") or 1))
DTYPES = {F32: Datatype.FLOAT_32, I32: Datatype.INT_32}


def _ops() -> dict[str, OpDef]:
    (package,) = opgen.load_packages([CONFIG])
    return {op.name: op for op in package.ops}


OPS = _ops()


def dims(rng: random.Random, rank: int) -> list[int]:
    return [rng.choice((1, 1, 2, 3, 4, 5, 7)) for _ in range(rank)]


def bcast(rng: random.Random) -> Node:
    a = dims(rng, rng.randint(0, 4))
    if rng.random() < 0.8:  # mostly compatible: b is a's tail with some 1s
        b = [1 if rng.random() < 0.3 else d for d in a[rng.randint(0, len(a)) :]]
        if rng.random() < 0.5:
            a, b = b, a
    else:
        b = dims(rng, rng.randint(0, 4))
    return Node("Bcast", [(a, F32), (b, F32)], [max(len(a), len(b))])


def reduce(rng: random.Random) -> Node:
    x = dims(rng, rng.randint(1, 4))
    axes = rng.sample(range(-len(x), len(x)), rng.randint(0, len(x)))  # none: every dim
    if rng.random() < 0.1:
        axes.append(axes[0] if axes else 0)  # a duplicate (an error unless normalised apart)
    params: dict[str, tuple[int, Any]] = {"axes": (I32, axes)}
    keep = rng.random() < 0.5
    if rng.random() < 0.7:
        params["keep_dims"] = (BOOL, int(keep))
    dtype = rng.choice((F32, I32))
    normalised = {a % len(x) for a in axes} or set(range(len(x)))
    rank = len(x) if params.get("keep_dims", (BOOL, 0))[1] else len(x) - len(normalised)
    return Node("ReduceOp", [(x, dtype)], [rank], params)


def cat(rng: random.Random) -> Node:
    rank = rng.randint(1, 3)
    base = dims(rng, rank)
    axis = rng.randint(-rank, rank - 1)
    inputs = []
    for _ in range(rng.randint(1, 4)):
        d = list(base)
        d[axis] = rng.randint(1, 5)
        if rng.random() < 0.08:
            d[(axis + 1) % rank] += 1  # another dim differs
        inputs.append((d, F32))
    params: dict[str, tuple[int, Any]] = (
        {} if axis == 0 and rng.random() < 0.5 else {"axis": (I32, axis)}
    )
    return Node("Cat", inputs, [rank], params)


def perm(rng: random.Random) -> Node:
    x = dims(rng, rng.randint(1, 4))
    p = list(range(len(x)))
    rng.shuffle(p)
    if rng.random() < 0.1:
        p[0] = p[-1] if len(p) > 1 else 3  # not a permutation
    return Node("Perm", [(x, F32)], [len(x)], {"perm": (U32, p)})


def topk(rng: random.Random) -> Node:
    x = dims(rng, rng.randint(1, 3))
    return Node("TopKRule", [(x, F32)], [len(x), len(x)], {"k": (U32, rng.randint(0, 6))})


def arith(rng: random.Random) -> Node:
    x = [rng.randint(1, 4), rng.randint(1, 100), rng.randint(1, 12)]
    params: dict[str, tuple[int, Any]] = {}
    if rng.random() < 0.6:
        params["k"] = (I32, rng.randint(-1, 9))
    if rng.random() < 0.6:
        params["multiple"] = (U32, rng.randint(1, 4))
    return Node("Arith", [(x, F32)], [4], params)


def ins(rng: random.Random) -> Node:
    x = dims(rng, rng.randint(0, 3))
    params: dict[str, tuple[int, Any]] = {"axis": (I32, rng.randint(-len(x) - 2, len(x) + 1))}
    if rng.random() < 0.6:
        params["d"] = (I32, rng.randint(-1, 6))
    return Node("Ins", [(x, F32)], [len(x) + 1], params)


def rem(rng: random.Random) -> Node:
    x = dims(rng, rng.randint(1, 4))
    axes = rng.sample(range(-len(x), len(x)), rng.randint(0, len(x)))
    if rng.random() < 0.1:
        axes.append(len(x))  # out of range
    return Node("Rem", [(x, F32)], [max(0, len(x) - len(axes))], {"axes": (I32, axes)})


def mm(rng: random.Random) -> Node:
    m, k, n = rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5)
    batch = dims(rng, rng.randint(0, 2))
    a = (
        [*batch, m, k][rng.choice((0, 0, len(batch) + 1)) :]
        if rng.random() < 0.2
        else [*batch, m, k]
    )
    tail = [1 if rng.random() < 0.3 else d for d in batch[rng.randint(0, len(batch)) :]]
    b = [*tail, k if rng.random() < 0.9 else k + 1, n]
    if rng.random() < 0.15:
        b = b[-1:]  # a 1-D right operand
    return Node("Mm", [(a, F32), (b, F32)], [max(len(a), len(b))])


def conv(rng: random.Random) -> Node:
    h, w, c = rng.randint(1, 20), rng.randint(1, 20), rng.randint(1, 4)
    kh, kw = rng.randint(1, 5), rng.randint(1, 5)
    c2 = c if rng.random() < 0.9 else c + 1
    params: dict[str, tuple[int, Any]] = {}
    if rng.random() < 0.7:
        params["pad"] = (U32, [rng.randint(0, 2) for _ in range(4)])
    if rng.random() < 0.7:
        params["stride"] = (I32, rng.randint(1, 3))
    if rng.random() < 0.5:
        params["dilation"] = (I32, rng.randint(1, 2))
    x, f = [rng.randint(1, 3), h, w, c], [kh, kw, c2, rng.randint(1, 8)]
    return Node("Conv", [(x, F32), (f, F32)], [4], params)


GENERATORS = (bcast, reduce, cat, perm, ins, rem, mm, conv, topk, arith)


def cases() -> Iterator[Node]:
    rng = random.Random(20261201)
    for generate in GENERATORS:
        for _ in range(CASES_PER_OP):
            yield generate(rng)


def expected(node: Node) -> tuple[tuple[int, ...], ...] | None:
    op = OPS[node.op]
    facts = [TensorFacts(tuple(d), DTYPES[t]) for d, t in node.inputs]
    params = {name: (bool(v) if t == BOOL else v) for name, (t, v) in node.params.items()}
    try:
        outputs = infer(rules_of(op), op, facts, params)
    except RuleError:
        return None
    shapes = []
    for out in outputs:
        assert out.shape is not None and all(isinstance(d, int) for d in out.shape), out
        shapes.append(tuple(int(d) for d in out.shape))  # type: ignore[arg-type]
    return tuple(shapes)


def expected_dtypes(node: Node) -> tuple[int, ...]:
    op = OPS[node.op]
    facts = [TensorFacts(tuple(d), DTYPES[t]) for d, t in node.inputs]
    params = {name: (bool(v) if t == BOOL else v) for name, (t, v) in node.params.items()}
    out = infer(rules_of(op), op, facts, params)
    return tuple(o.dtype.qnn_code for o in out if o.dtype is not None)  # type: ignore[misc]


def agree(library: ConverterLibrary, tensor_version: int) -> tuple[int, int]:
    ok = failed = 0
    for node in cases():
        node.tensor_version = tensor_version
        want = expected(node)
        if want is not None:
            node.output_ranks = [len(s) for s in want]
        got = library.infer(node)
        if want is None:
            assert got.code != 0, (node, got)
            failed += 1
        else:
            assert got.code == 0, (node, library.last_error())
            assert got.shapes == want, node
            assert got.dtypes == expected_dtypes(node), node
            ok += 1
    return ok, failed


def test_the_library_agrees_with_the_evaluator(cop_library: ConverterLibrary) -> None:
    ok, failed = agree(cop_library, 1)
    assert ok + failed == CASES_PER_OP * len(GENERATORS)
    assert ok > 3 * failed > 0  # both outcomes are exercised


def test_the_v2_build_agrees_on_version_2_tensors(cop_library_v2: ConverterLibrary) -> None:
    ok, failed = agree(cop_library_v2, 2)
    assert ok > 3 * failed > 0


@pytest.mark.parametrize(
    ("node", "reason"),
    [
        (Node("Arith", [([1, 32, 6], F32)], [4], {"multiple": (U32, 4)}), "divisible(K, multiple)"),
        (Node("Bcast", [([2, 3], F32), ([4], F32)], [2]), "broadcast"),
        (Node("TopKRule", [([2, 3], F32)], [3, 2], {"k": (U32, 2)}), "values"),
    ],
    ids=["require", "broadcast", "rank-the-rule-contradicts"],
)
def test_a_failing_rule_fails_with_the_rule_in_the_message(
    cop_library: ConverterLibrary, node: Node, reason: str
) -> None:
    assert cop_library.infer(node).code != 0
    assert reason in cop_library.last_error()


def test_reduce_over_no_axes(cop_library: ConverterLibrary) -> None:
    node = Node("ReduceOp", [([1, 7], F32)], [2], {"axes": (I32, []), "keep_dims": (BOOL, 1)})
    got = cop_library.infer(node)
    assert got.code == 0, cop_library.last_error()
    assert got.shapes == expected(node) == ((1, 1),)  # no axes reduce every dim, as in ONNX


def test_a_scalar_param_absent_from_the_config_takes_its_default(
    cop_library: ConverterLibrary,
) -> None:
    got = cop_library.infer(Node("Arith", [([2, 70, 9], F32)], [4]))
    assert got.code == 0, cop_library.last_error()
    assert got.shapes == ((2, 3, 4, 3),)  # k = 3, 9 // 2, cdiv(70, 32)


def test_rules_need_no_edit_of_the_package(cop_package: Path) -> None:
    # Ops whose outputs all have rules get no hook file.
    hooks = {p.name for p in (cop_package / "ConverterOpPackage" / "hooks").glob("*.cpp")}
    assert hooks == {"NmsHooks.cpp", "CustomHooks.cpp", "PlainHooks.cpp"}
