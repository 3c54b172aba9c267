"""Nyquist and periodic energy shares on hand-made patterns; both decoders on the trained twin's codes."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.autoencoders import (
    checkerboard_report,
    flat_response,
    flat_response_image,
    held_out_digits,
    latent_map,
    nyquist_share,
    periodic_share,
)
from vision_core.errors import BadInput

I, J = np.mgrid[0:28, 0:28]
CHECKER = (-1.0) ** (I + J)


def test_shares_of_hand_made_patterns():
    assert nyquist_share(CHECKER)[0] == pytest.approx(1.0)
    assert nyquist_share(np.full((28, 28), 0.7))[0] == 0.0, "a flat image has no energy at all"
    stripes4 = np.cos(np.pi * J / 2)  # period 4 along x
    assert nyquist_share(stripes4)[0] == pytest.approx(0.0, abs=1e-12)
    assert periodic_share(stripes4, 4)[0] == pytest.approx(1.0)
    # a checkerboard of amplitude 1 plus a cosine of period 7 and amplitude 2: energies N·1 and N·2²/2, so 1/3
    mixed = CHECKER + 2 * np.cos(2 * np.pi * J / 7)
    assert nyquist_share(mixed)[0] == pytest.approx(1 / 3)
    assert nyquist_share(np.stack([CHECKER, mixed])) == pytest.approx([1.0, 1 / 3])


def test_shares_refuse_sizes_without_that_period():
    with pytest.raises(BadInput, match="multiple"):
        periodic_share(np.zeros((28, 30)), 4)
    with pytest.raises(BadInput):
        nyquist_share(np.zeros(5))


def test_flat_input_shows_the_transposed_fingerprint(trained, untrained):
    for twin in (untrained[0], trained[0]):
        t, u = flat_response("transposed", net=twin), flat_response("upsample", net=twin)
        assert t.shape == u.shape == (20, 20)
        assert np.std(u) / abs(np.mean(u)) < 1e-5, "upsample + conv: flat in, flat out"
        assert np.std(t) / abs(np.mean(t)) > 0.01
        assert periodic_share(t, 4)[0] > 0.99, "all of its variation repeats every 4 pixels"
    grey = flat_response_image(flat_response("upsample", net=trained[0]))
    assert grey.shape == (160, 160) and set(np.unique(grey)) <= {127, 128}


def test_transposed_decoder_has_more_nyquist_energy_on_the_same_codes(trained):
    twin = trained[0]
    digits = held_out_digits()[0][:200]
    codes = latent_map(net=twin).codes[:200]
    rep = checkerboard_report(codes, digits, net=twin)
    assert rep.outputs["transposed"].shape == rep.outputs["upsample"].shape == (200, 28, 28)
    # measured with seed 0 after 300 steps: transposed 1.2e-4, upsample 1.7e-6 (70 times less), real digits 1.46e-4;
    # flat input: variation 60 % (transposed) against 7e-8 (upsample + conv)
    assert rep.nyquist["transposed"] > 10 * rep.nyquist["upsample"], rep.nyquist
    assert rep.reference_nyquist == pytest.approx(1.46e-4, rel=0.05)
    assert rep.flat_variation["upsample"] < 1e-5 < 0.01 < rep.flat_variation["transposed"]
