"""What the current machine offers: device, embedded assets, models that need a download."""

from __future__ import annotations

import platform

import streamlit as st
import torch

from vision_core.assets import fetch, status
from vision_core.errors import AssetError
from vision_core.models import ModelSpec, best_device, list_models, missing_requirements


def _model_rows(models: list[ModelSpec]) -> list[dict[str, str]]:
    rows = []
    for m in models:
        missing = missing_requirements(m)
        rows.append({"model": m.title, "task": m.task.value,
                     "source": "embedded" if m.embedded else "download on demand",
                     "ready": "✅" if not missing else "needs " + "; ".join(missing)})
    return rows


def render_machine() -> None:
    """Device and model availability tables: the embedded models, and the optional downloads behind a toggle
    (listing those reads torchvision's weights metadata, which imports torchvision: only when asked)."""
    device = best_device()
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "CPU"
    c1, c2, c3 = st.columns(3)
    c1.metric("Compute device", device.type.upper(), help=name)
    rows = status()
    present = sum(r.state == "present" for r in rows)
    c2.metric("Embedded files present", f"{present} / {len(rows)}")
    models = list_models()
    embedded = [m for m in models if m.embedded]
    table = _model_rows(embedded)
    ready = sum(r["ready"] == "✅" for r in table)
    c3.metric("Embedded models ready", f"{ready} / {len(embedded)}",
              help="Models whose files ship with the app (python -m vision_core.assets fetch).")
    if table:
        st.dataframe(table, hide_index=True, width="stretch")
    optional = [m for m in models if not m.embedded]
    if optional and st.toggle(f"Optional downloads ({len(optional)} models: torchvision's hub and others)",
                              key="home_hub", help="Pages offer each download where it is used."):
        st.dataframe(_model_rows(optional), hide_index=True, width="stretch")
    with st.expander("Embedded files (asset store)"):
        st.dataframe(
            [
                {"asset": r.asset.name, "state": r.state, "MB": round(r.asset.size_mb, 2),
                 "licence": r.asset.licence, "what": r.asset.description}
                for r in rows
            ],
            hide_index=True,
            width="stretch",
        )


def render_asset_fetch() -> None:
    """A button that fetches every missing embedded file, with a progress bar."""
    missing = [r.asset.name for r in status() if r.state != "present"]
    if not missing:
        st.success("All embedded models and data are present.", icon="✅")
        return
    total = sum(r.asset.size_mb for r in status() if r.state != "present")
    st.warning(f"{len(missing)} embedded files are missing ({total:.0f} MB). `make run` fetches them; so does this button.")
    if st.button(f"Fetch {len(missing)} missing files ({total:.0f} MB)", key="_fetch_all"):
        bar = st.progress(0.0, text="Starting…")
        try:
            fetch(missing, progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
        except AssetError as exc:
            st.error(str(exc), icon="🌐")
            return
        st.rerun()
