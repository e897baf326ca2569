"""What a package's getInfo reported, as the runtime shows it (``opgen info``, ``.info``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackageInfo:
    """What getInfo reported, plus where it came from."""

    package_name: str
    operations: tuple[str, ...]
    library: str
    interface_provider: str
    interface_version: tuple[int, int, int]
    target: str
    sdk_build_id: str | None
    core_api_version: tuple[int, int, int] | None
    backend_api_version: tuple[int, int, int] | None
    opset_version: tuple[int, int, int] | None

    def to_json(self) -> dict[str, object]:
        def dotted(v: tuple[int, int, int] | None) -> str | None:
            return None if v is None else ".".join(map(str, v))

        return {
            "package_name": self.package_name,
            "operations": list(self.operations),
            "library": self.library,
            "interface_provider": self.interface_provider,
            "interface_version": dotted(self.interface_version),
            "target": self.target,
            "sdk_build_id": self.sdk_build_id,
            "sdk_api_version": {
                "core": dotted(self.core_api_version),
                "backend": dotted(self.backend_api_version),
            },
            "opset_version": dotted(self.opset_version),
        }
