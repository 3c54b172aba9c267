"""The ONNX runtime: onnxruntime sessions for embedded ``.onnx`` assets, on CUDA when torch's device is CUDA.

``InferenceSession.run`` is thread-safe, so sessions are shared by every user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from vision_core.assets import asset_path

__all__ = ["ort_providers", "session_loader"]


def ort_providers(device: torch.device | str | None = None) -> list[str]:
    """onnxruntime providers for ``device``: CUDA first when the device is CUDA and the provider exists."""
    import onnxruntime as ort

    dev = torch.device(device) if device is not None else torch.device("cpu")
    if dev.type == "cuda" and "CUDAExecutionProvider" in ort.get_available_providers():
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    return ["CPUExecutionProvider"]


def session_loader(asset: str) -> Callable[[torch.device], Any]:
    """A ``ModelSpec`` loader that opens the ONNX asset in onnxruntime with the providers for the device."""
    def load(device: torch.device) -> Any:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        return ort.InferenceSession(str(asset_path(asset)), opts, providers=ort_providers(device))

    return load
