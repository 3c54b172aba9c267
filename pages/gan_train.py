"""Watch a GAN train: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("⚔️ Watch a GAN train", "Generative", "Generator against discriminator on MNIST and a 2-D toy, live.")
coming_soon("a GAN trained live on MNIST.")
