"""The manifest's text is json.dumps(..., indent=1) exactly, though written without it
(opgen/writer/plan.py `manifest_json`): any path, any field, any old entry read back."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from opgen.writer.plan import manifest_json

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
fields = st.dictionaries(texts, texts, max_size=3)
odd = st.dictionaries(texts, st.integers() | st.none() | st.lists(texts, max_size=2), max_size=2)


@given(st.dictionaries(texts, fields, max_size=6))
def test_the_text_is_that_of_json_dumps(files: dict[str, dict[str, str]]) -> None:
    assert manifest_json(files) == json.dumps({"generator": "opgen", "files": files}, indent=1)


@given(st.dictionaries(texts, fields | odd, max_size=4))
def test_entries_of_any_shape_from_an_old_manifest(files: dict[str, dict[str, str]]) -> None:
    assert manifest_json(files) == json.dumps({"generator": "opgen", "files": files}, indent=1)
