"""A short history of computer vision: the lecture's timeline from 1826 to 2017, and ImageNet's error by year.

Every event opens with the lecture's words and a link to the page of this app that teaches it."""

from __future__ import annotations

from ui.common import page_header
from ui.history_views import event_view, ilsvrc_view, timeline_view

page_header(
    "🕰️ A short history of computer vision",
    "Introduction — when it started, ImageNet and ILSVRC, the main CNN architectures (lecture 000)",
    "From a pewter plate exposed for hours to networks that name 1000 classes better than people do. "
    "Hover the timeline for what the lecture says, pick an event to read it and jump to the page where you try it, "
    "then see the ImageNet error fall year by year.",
)

evt = timeline_view()
event_view(evt)
ilsvrc_view()
