"""Benchmark: the Python evaluator of shape rules over a 1,000-node batch of mixed rules
(target: well under 1 ms per node).

Run: .venv/bin/python benchmarks/shape_rules.py [NUM_NODES]
The config holds one op per kind of rule (elementwise, broadcast, matmul by patterns, tile
packing with requires, conv with tensor params, TopK, reduce, concat over a Repeated input,
transpose, NMS with a `?` dim); the batch cycles through them with varied input shapes. Prints
microseconds per node for infer (concrete dims, then named ONNX dims) and check; asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import opgen  # noqa: E402
from opgen.model import Datatype  # noqa: E402
from opgen.shapes import rules_of  # noqa: E402
from opgen.shapes.evaluate import TensorFacts, check, infer  # noqa: E402
from tests import factories as f  # noqa: E402
from tests.shapes.rule_configs import inp, out  # noqa: E402

BUDGET_SECONDS_PER_NODE = 1e-3
F32 = Datatype.FLOAT_32
INT = "QNN_DATATYPE_INT_32"
CONV = (
    "= [N, (H + pad_amount[0,0] + pad_amount[0,1] - dilation[0]*(KH-1) - 1)//stride[0] + 1, "
    "(W + pad_amount[1,0] + pad_amount[1,1] - dilation[1]*(KW-1) - 1)//stride[1] + 1, F]"
)

Node = tuple[list[tuple[object, ...]], dict[str, object]]
TILE = inp("in[0]", "= [1, 1, M, K]", checks=["require divisible(M, 32); divisible(K, 32)"])

#: op -> (inputs, outputs, params, node maker: i -> (input shapes, params))
OPS: dict[str, tuple[list[str], list[str], list[str], Callable[[int], Node]]] = {
    "Relu": ([inp("in[0]")], [out("out[0]", "= like(in[0])")], [],
             lambda i: ([(1, i % 7 + 1, 16)], {})),
    "Add": ([inp("in[0]"), inp("in[1]")], [out("out[0]", "= broadcast(in[0], in[1])")], [],
            lambda i: ([(i % 5 + 1, 1, 8), (3, 1)], {})),
    "MatMul": ([inp("in[0]", "= [B..., M, K]"), inp("in[1]", "= [K, N]")],
               [out("out[0]", "= [B..., M, N]")], [],
               lambda i: ([(2, i % 9 + 1, 32), (32, 64)], {})),
    "Tile": ([TILE],
             [out("out[0]", "= [1, cdiv(M, 32), cdiv(K, 32), 1024]")], [],
             lambda i: ([(1, 1, 32 * (i % 4 + 1), 64)], {})),
    "Conv": ([inp("in[0]", "= [N, H, W, C]"), inp("filter", "= [KH, KW, C, F]")],
             [out("out[0]", CONV)],
             [f.param("pad_amount", INT, rank="2D", mandatory=False, default="[[1, 1], [1, 1]]"),
              f.param("stride", INT, rank="1D", mandatory=False, default="[1, 1]"),
              f.param("dilation", INT, rank="1D", mandatory=False, default="[1, 1]")],
             lambda i: ([(1, 32 + i % 8, 32, 16), (3, 3, 16, 8)], {"stride": [1 + i % 2, 2]})),
    "TopK": ([inp("in[0]")], [out("values", "= with(in[0], -1, k)"),
                              out("indices", "= with(in[0], -1, k)", datatypes=[INT])],
             [f.param("k", "QNN_DATATYPE_UINT_32")], lambda i: ([(4, 100)], {"k": i % 10 + 1})),
    "ReduceSum": ([inp("in[0]")], [out("out[0]", "= reduce(in[0], axes, keep_dims)")],
                  [f.param("axes", INT, rank="1D"),
                   f.param("keep_dims", "QNN_DATATYPE_BOOL_8", mandatory=False, default="false")],
                  lambda i: ([(2, 3, 4, 5)], {"axes": [i % 4], "keep_dims": bool(i % 2)})),
    "Concat": ([inp("in[0]", repeated=True)], [out("out[0]", "= concat(axis, in[*])")],
               [f.param("axis", INT, mandatory=False, default="0")],
               lambda i: ([(i % 3 + 1, 8)] * (i % 4 + 2), {})),
    "Transpose": ([inp("in[0]")], [out("out[0]", "= permute(in[0], perm)")],
                  [f.param("perm", "QNN_DATATYPE_UINT_32", rank="1D")],
                  lambda i: ([(2, 3, 4)], {"perm": [[2, 0, 1], [1, 0, 2], [0, 2, 1]][i % 3]})),
    "NMS": ([inp("boxes_in"), inp("scores")], [out("boxes", "= [?, 3]", datatypes=[INT])], [],
            lambda i: ([(i % 50 + 1, 4), (i % 50 + 1,)], {})),
}  # fmt: skip


def symbolic(shapes: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The same shapes with their first dim a named ONNX dim."""
    return [("batch", *s[1:]) if s else s for s in shapes]


def per_node(nodes: int, fn: Callable[[], None], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best / nodes


def main() -> None:
    num_nodes = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        ops_xml = [f.op(name, inputs=i, outputs=o, params=p) for name, (i, o, p, _) in OPS.items()]
        path = f.write(Path(tmp), "Bench.xml", f.config("Bench", ops_xml))
        (package,) = opgen.load_packages([path])
    ops = {op.name: op for op in package.ops}
    makers = [(ops[name], spec[3]) for name, spec in OPS.items()]
    batch = []
    for i in range(num_nodes):
        op, make = makers[i % len(makers)]
        shapes, params = make(i)
        batch.append((op, shapes, params))

    start = time.perf_counter()
    resolved = {op.name: rules_of(op) for op in ops.values()}
    first_rules = time.perf_counter() - start
    cached = per_node(num_nodes, lambda: [rules_of(op) for op, _, _ in batch])

    concrete = [
        (op, resolved[op.name], [TensorFacts(s, F32) for s in shapes], params)
        for op, shapes, params in batch
    ]
    named = [
        (op, r, [TensorFacts(s, F32) for s in symbolic([t.shape for t in ins])], p)  # type: ignore[misc]
        for op, r, ins, p in concrete
    ]
    results = [infer(r, op, ins, p) for op, r, ins, p in concrete]
    outs = [[TensorFacts(o.shape, o.dtype) for o in res] for res in results]

    t_infer = per_node(num_nodes, lambda: [infer(r, op, ins, p) for op, r, ins, p in concrete])
    t_named = per_node(num_nodes, lambda: [infer(r, op, ins, p) for op, r, ins, p in named])
    t_check = per_node(
        num_nodes,
        lambda: [
            check(r, op, ins, p, o) for (op, r, ins, p), o in zip(concrete, outs, strict=True)
        ],
    )

    print(f"batch: {num_nodes} nodes over {len(OPS)} ops with rules ({', '.join(OPS)})")
    print(
        f"rules_of, first call for the {len(OPS)} ops: {first_rules * 1e3:.1f} ms; cached: "
        f"{cached * 1e6:.2f} us per node"
    )
    for label, seconds in [
        ("infer, concrete dims", t_infer),
        ("infer, a named ONNX dim", t_named),
        ("check, concrete dims", t_check),
    ]:
        ratio = seconds / BUDGET_SECONDS_PER_NODE
        print(f"{label + ':':<26}{seconds * 1e6:8.1f} us per node = {ratio:.3f}x the 1 ms budget")


if __name__ == "__main__":
    main()
