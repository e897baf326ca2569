"""Command-line flags that library messages name (kept apart so naming one imports nothing)."""

OVERWRITE_EDITED_FLAG = "--overwrite-edited"
"""Regenerate opgen-owned files the user edited (each backed up first), keeping kernels."""
