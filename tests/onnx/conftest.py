"""The ONNX tests need the onnx extra (pulled in by the test extra)."""

import pytest

pytest.importorskip("onnx")
