"""Pose and keypoints: not built yet (a stub that says so)."""

from __future__ import annotations

from ui.common import coming_soon, page_header

page_header("🤸 Pose and keypoints", "Beyond classification", "Skeletons and face landmarks; the lecture's 14 joints.")
coming_soon("BlazePose and MTCNN landmarks.")
