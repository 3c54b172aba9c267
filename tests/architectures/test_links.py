"""The text of a shared link: every preset round-trips, examples by hand, refusals with a sentence."""

from __future__ import annotations

import pytest

from vision_core import architectures as arch
from vision_core.errors import BadInput


@pytest.mark.parametrize("name", list(arch.EDIT_PRESETS))
def test_layer_list_text_round_trips(name):
    _, layers = arch.preset(name)
    text = arch.edit_to_text(layers)
    assert arch.edit_from_text(text) == layers
    assert len(text) < 2000 and all(c.isalnum() or c in "._-" for c in text)


def test_layer_list_text_examples_and_refusals():
    assert arch.edit_to_text(arch.preset("lenet5")[1]).startswith("conv.6.5.1.0.0.0.1.1_relu_avgpool.0.2.2_")
    layers = arch.edit_from_text("conv.8.3.1.1_relu_inception.0.0.1.0.0.0.1.0.4.4.8.2.4.4_adaptiveavg.1_flatten_fc.10")
    assert layers[0] == arch.EditLayer("conv", 8, 3, 1, 1)
    assert layers[2].branches == (4, 4, 8, 2, 4, 4) and layers[-1] == arch.EditLayer("fc", 10)
    res = arch.evaluate(layers, (3, 16, 16))
    assert res.ok and res.rows[2].out_shape == (20, 16, 16)
    for bad, message in (("", "empty"), ("conv.8.x", "not a whole number"), ("convolution.8", "unknown kind"),
                         ("relu_" * 5000, "too long"), ("relu_" * 1200 + "relu", "at most 1000")):
        with pytest.raises(BadInput, match=message):
            arch.edit_from_text(bad)
