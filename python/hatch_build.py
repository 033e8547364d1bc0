"""Marks the wheel as platform-specific: it carries a Linux x86_64 executable.

scripts/build-wheel sets FAIRLEAD_WHEEL_PLATFORM to the manylinux tag the binary's glibc
symbol versions call for (e.g. manylinux_2_36_x86_64); without it the wheel would be
tagged "any" and install where the binary cannot run, so the build stops.
"""

from __future__ import annotations

import os
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PlatformWheelHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        platform = os.environ.get("FAIRLEAD_WHEEL_PLATFORM")
        binary = os.path.join(self.root, "src", "fairlead", "bin", "fairlead")
        if not platform or not os.path.isfile(binary):
            raise RuntimeError(
                "build the wheel with scripts/build-wheel: it stages the fairlead binary "
                "and sets FAIRLEAD_WHEEL_PLATFORM"
            )
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-{platform}"
