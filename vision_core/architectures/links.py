"""Layer lists as compact, URL-safe text, so a shared link (``?arch_layers=``) reopens an edited network.

One ``kind.f1.f2…`` item per layer, joined by ``_``: the fields are ``out, kernel, stride, padding, layers, growth,
bias (0/1), in_`` then an inception module's six widths, trailing defaults left out. LeNet-5 starts
``conv.6.5.1.0.0.0.1.1_relu_avgpool.0.2.2_…``. ``edit_from_text`` refuses, with a sentence, text longer than
``MAX_EDIT_TEXT`` characters, unknown kinds, fields that are not whole numbers and more than ``MAX_EDIT_LAYERS`` layers.
"""

from __future__ import annotations

from vision_core.errors import BadInput

from .editor import EDIT_KINDS, MAX_EDIT_LAYERS, EditLayer, check_layers

__all__ = ["MAX_EDIT_TEXT", "edit_from_text", "edit_to_text"]

MAX_EDIT_TEXT = 20_000
"""Longest layer-list text ``edit_from_text`` reads (a shared link's parameter)."""
_TEXT_FIELDS = ("out", "kernel", "stride", "padding", "layers", "growth", "bias", "in_")


def edit_to_text(layers: list[EditLayer]) -> str:
    """A compact, URL-safe text of a layer list, for shared links: one ``kind.f1.f2…`` item per layer, joined by
    ``_``; the fields are ``out, kernel, stride, padding, layers, growth, bias (0/1), in_`` then the inception
    widths, trailing defaults left out. ``edit_from_text`` reads it back."""
    defaults = EditLayer("conv")
    items = []
    for layer in check_layers(layers):
        values = [str(int(getattr(layer, f))) for f in _TEXT_FIELDS] + [str(int(b)) for b in layer.branches]
        if not layer.branches:
            default_values = [str(int(getattr(defaults, f))) for f in _TEXT_FIELDS]
            while values and values[-1] == default_values[len(values) - 1]:
                values.pop()
        items.append(".".join([layer.kind, *values]))
    return "_".join(items)


def edit_from_text(text: str) -> list[EditLayer]:
    """The layer list written by ``edit_to_text``; ``BadInput`` with a sentence when the text is not one."""
    if not isinstance(text, str) or not text.strip():
        raise BadInput("The shared network is empty.")
    if len(text) > MAX_EDIT_TEXT:
        raise BadInput(f"The shared network is too long ({len(text):,} characters; at most {MAX_EDIT_TEXT:,}).")
    layers = []
    defaults = EditLayer("conv")
    for n, item in enumerate(text.strip().split("_"), start=1):
        kind, *fields = item.split(".")
        if kind not in EDIT_KINDS:
            raise BadInput(f"Layer {n} of the shared network has an unknown kind {kind!r}.")
        try:
            numbers = [int(v) for v in fields]
        except ValueError:
            raise BadInput(f"Layer {n} of the shared network ({item[:40]!r}) has a field that is not a whole "
                             "number.") from None
        head, branches = numbers[: len(_TEXT_FIELDS)], numbers[len(_TEXT_FIELDS):]
        values = {f: getattr(defaults, f) for f in _TEXT_FIELDS}
        values.update(zip(_TEXT_FIELDS, head))
        values["bias"] = bool(values["bias"])
        layers.append(EditLayer(kind, branches=tuple(branches), **values))
    if len(layers) > MAX_EDIT_LAYERS:
        raise BadInput(f"The shared network has {len(layers)} layers; the editor takes at most {MAX_EDIT_LAYERS}.")
    return layers
