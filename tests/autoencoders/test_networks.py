"""The networks' shapes, and the uneven overlap of a stride-2 transposed 3×3 convolution, by hand."""

from __future__ import annotations

import pytest
import torch

from vision_core.autoencoders import DECODERS, Decoder, Denoiser, Encoder, TwinAutoencoder, upsampling_stack
from vision_core.errors import BadInput


def test_shapes_follow_the_docstring():
    x = torch.rand(3, 1, 28, 28)
    with torch.no_grad():
        assert Encoder()(x).shape == (3, 2)
    twin = TwinAutoencoder().eval()
    with torch.no_grad():
        out = twin(x)
    assert set(out) == set(DECODERS)
    assert all(o.shape == (3, 1, 28, 28) for o in out.values())
    assert all(float(o.min()) >= 0 and float(o.max()) <= 1 for o in out.values()), "eval mode clips to 0–1"
    assert Denoiser().eval()(x).shape == (3, 1, 28, 28)
    for kind in DECODERS:
        assert Decoder(kind).up(torch.ones(1, 16, 7, 7)).shape == (1, 1, 28, 28)


def test_unknown_decoder_lists_the_choices():
    with pytest.raises(BadInput, match="transposed, upsample"):
        upsampling_stack("bilinear")


def test_transposed_kernel_copies_overlap_unevenly():
    """The lecture's 3×3 transpose convolution, stride 2, pad 1, all weights 1 and no bias, on a 4×4 input of
    ones: output position o gets the taps k with o = 2i − 1 + k, i.e. 1 tap on even positions (k = 1) and
    2 on odd ones (k = 0 and 2), except the last row/column (output_padding) that only k = 0 of the last
    input reaches. So the output is taps(y) · taps(x): 1, 2 or 4."""
    conv = torch.nn.ConvTranspose2d(1, 1, 3, 2, 1, output_padding=1, bias=False)
    with torch.no_grad():
        conv.weight.fill_(1.0)
        out = conv(torch.ones(1, 1, 4, 4))[0, 0]
    taps = torch.tensor([1.0, 2, 1, 2, 1, 2, 1, 1])
    assert torch.equal(out, taps[:, None] * taps[None, :])


def test_upsample_then_conv_treats_every_pixel_alike():
    """Nearest upsampling then a 3×3 convolution (all weights 1) on ones: 9 everywhere off the zero-padded border."""
    stack = torch.nn.Sequential(torch.nn.Upsample(scale_factor=2), torch.nn.Conv2d(1, 1, 3, 1, 1, bias=False))
    with torch.no_grad():
        stack[1].weight.fill_(1.0)
        out = stack(torch.ones(1, 1, 4, 4))[0, 0]
    assert torch.equal(out[1:-1, 1:-1], torch.full((6, 6), 9.0))
    assert out[0, 0] == 4 and out[0, 3] == 6
