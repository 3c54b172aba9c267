"""The one error family of vision_core: every error meant for a person is a ``VisionCoreError``.

``VisionCoreError`` subclasses ``ValueError``, so code that already catches ``ValueError`` keeps
working; ``ui.common.friendly_errors`` catches the whole family and shows the message, never a
traceback. Messages are sentences a student understands and, where there is a choice, list the
valid choices (see ``vision_core.checks``).

- ``BadInput``: an argument out of range, of the wrong shape, or not one of the choices.
- ``ImageError``: bytes that are not a readable image, or an array that is not ``(H, W, 3)`` uint8.
- ``UnknownModel``: a model name the registry does not know (the message lists the known ones).
- ``AssetMissing``: an embedded asset is not in the cache (the message names the fetch command).
- ``AssetError``: downloading or extracting an embedded asset failed; nothing was written.
- ``WeightsMissing``: hub weights are not cached, or could not be downloaded (offline).
"""

from __future__ import annotations

__all__ = [
    "AssetError",
    "AssetMissing",
    "BadInput",
    "ImageError",
    "UnknownModel",
    "VisionCoreError",
    "WeightsMissing",
]


class VisionCoreError(ValueError):
    """Base of every error vision_core raises for a person to read."""


class BadInput(VisionCoreError):
    """An argument is out of range, of the wrong shape or type, or not one of the valid choices."""


class ImageError(BadInput):
    """Image bytes that cannot be decoded safely, or an array that is not ``(H, W, 3)`` uint8 RGB."""


class UnknownModel(VisionCoreError):
    """A model name the registry does not know; the message lists the registered names."""


class AssetMissing(VisionCoreError):
    """An embedded asset is not in the cache (or failed its hash check); the message says how to fetch it."""


class AssetError(VisionCoreError):
    """Downloading or extracting an embedded asset failed; nothing was written to the cache."""


class WeightsMissing(VisionCoreError):
    """Hub weights are not in the local cache or cannot be downloaded; the message says what, from where, how big."""
