{% set p = cookiecutter._opgen %}
"""numpy references of the ops of {{ p.package }}: yours to edit.

`opgen test` (which `make test` runs) calls the function named after each op with the op's
inputs as numpy arrays, positional, in the order {{ p.config }} declares them, and its params as
keyword arguments named as in the config (defaults applied). A function returns the output
array, or a tuple of them in output order. Every backend's kernel must match it within the
tolerance of each datatype.
"""

import numpy as np
{% for op in p.ops %}


def {{ op.function }}(
{%- for name in op.inputs -%}
{{ name }}{{ "=None" if loop.index0 >= op.optional_from }}{{ ", " if not loop.last }}
{%- endfor -%}
{%- if op.params %}{{ ", " if op.inputs }}*, {{ op.params | join(", ") }}{% endif -%}
{%- if op.other_params %}{{ ", " if op.inputs or op.params }}**params{% endif -%}
):
{% if p.shape == "elementwise" %}
    """Starter op (elementwise): out = in * gain."""
    return {{ op.inputs[0] }} * np.float32(gain)
{% elif p.shape == "binary" %}
    """Starter op (binary): out = a + b, numpy broadcasting."""
    return {{ op.inputs[0] }} + {{ op.inputs[1] }}
{% elif p.shape == "reduce" %}
    """Starter op (reduce): out = in.sum(axis=-1)."""
    return {{ op.inputs[0] }}.sum(axis=-1, dtype={{ op.inputs[0] }}.dtype)
{% else %}
    """{{ op.name }}, drafted from an ONNX model: write what it computes."""
{% if op.other_params %}
    # Params whose names Python cannot spell as arguments arrive in `params`: {{ op.other_params | join(", ") }}.
{% endif %}
    raise NotImplementedError("write the reference of {{ op.name }} in reference.py")
{% endif %}
{% if op.function != op.name %}


globals()["{{ op.name }}"] = {{ op.function }}  # the op's name is a Python keyword
{% endif %}
{% endfor %}
