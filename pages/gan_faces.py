"""GAN face sampler: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🎲 GAN face sampler", "Generative", "Faces that do not exist: seeds, latent walks, truncation.")
coming_soon("DCGAN faces, latent walks.")
