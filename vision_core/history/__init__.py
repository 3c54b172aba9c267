"""A short history of computer vision, as lecture 000 tells it: a timeline of events and the ImageNet results.

Modules:

- ``timeline``: ``Event`` (year, title, source, the lecture's words, the app page that teaches it), ``EVENTS``
  oldest first, ``LANES`` (the timeline's rows), ``event(key)``, ``events_in(lane)``.
- ``ilsvrc``: ``IlsvrcResult`` and ``ILSVRC``, the winning top-5 error of every challenge 2010–2017 as
  published (with VGG, second in 2014), ``HUMAN_TOP5`` (5.1 %), ``ilsvrc_winners``, ``improvement``.

Pure data and small functions; the figures are drawn in ``ui.history_views``.
"""

from vision_core.history.ilsvrc import HUMAN_TOP5, ILSVRC, IlsvrcResult, ilsvrc_winners, improvement
from vision_core.history.timeline import EVENTS, LANES, Event, event, events_in

__all__ = [
    "EVENTS",
    "HUMAN_TOP5",
    "ILSVRC",
    "LANES",
    "Event",
    "IlsvrcResult",
    "event",
    "events_in",
    "ilsvrc_winners",
    "improvement",
]
