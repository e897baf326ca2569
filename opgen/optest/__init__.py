"""`opgen test`: a package's kernels against a numpy reference, on cases drawn from the config.

cases.py     the cases an op's declaration allows (datatypes, ranks, shapes that obey the
             shape rules, params from enums, defaults and declared ranges)
params.py    the param values of one case
values.py    input values, quantization of fixed-point tensors
compare.py   tolerance per datatype, worst errors
session.py   running cases on registered packages (isolated workers) and the reference
replay.py    a failing case as .npz, and the command that replays it
junit.py     JUnit XML for CI
command.py   the click command
"""
