"""Writing a config opgen made (a draft from a model, a converted UDO config): only once opgen's
own loader accepts it, and atomically, so a refused config never replaces or half-writes a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from opgen.config import ValidationResult, validate_configs


def save_config(xml: bytes, output: Path) -> ValidationResult:
    """Validate ``xml`` as the file it will be and rename it to ``output`` when it is valid
    (mode 0666 less the umask); when it is not, ``output`` is untouched. No temporary file is
    left either way. Returns the validation of the text."""
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".xml", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(xml)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        result = validate_configs([tmp])
        if result.ok:
            os.replace(tmp, output)
        return result
    finally:
        Path(tmp).unlink(missing_ok=True)
