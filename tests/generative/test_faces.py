"""DCGAN face generator: reproducible seeds, real faces, walks, arithmetic, directions."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import torch

from vision_core.generative import faces as gan
from vision_core.errors import BadInput
from vision_core.models import get_model


@pytest.fixture(scope="module")
def model():
    return get_model("dcgan_faces", "cpu")


def test_same_seed_same_faces_from_another_copy_of_the_generator(model):
    a = gan.sample_faces(8, 123, generator=model)
    b = gan.sample_faces(8, 123, generator=get_model("dcgan_faces", "cpu"))
    assert a.shape == (8, 64, 64, 3) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    c = gan.sample_faces(8, 124, generator=model)
    assert np.abs(a.astype(int) - c.astype(int)).mean() > 20, "a different seed gives different faces"


def test_latents_are_prefix_stable_and_standard_normal():
    z = gan.latents(256, 7)
    assert z.shape == (256, 100, 1, 1)
    torch.testing.assert_close(gan.latents(10, 7), z[:10])
    assert abs(float(z.mean())) < 0.02 and abs(float(z.std()) - 1) < 0.02
    torch.testing.assert_close(gan.kept_latent(7, 5), z[5])


def test_generator_matches_the_tutorial_architecture(model):
    assert sum(p.numel() for p in model.parameters()) == 3576704
    out = model(torch.zeros(1, 100, 1, 1))
    assert out.shape == (1, 3, 64, 64) and float(out.abs().max()) <= 1.0


def test_haar_finds_faces_in_most_generated_samples(model):
    """The faces look like faces to a classic detector: report the rate, require at least half."""
    faces = gan.upscale(gan.sample_faces(64, 0, generator=model), 256, "lanczos")
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    hits = sum(
        len(cascade.detectMultiScale(cv2.cvtColor(f, cv2.COLOR_RGB2GRAY), 1.1, 5, minSize=(60, 60))) > 0 for f in faces
    )
    print(f"Haar face-detection rate on 64 generated faces (seed 0): {hits}/64")
    assert hits >= 32


def test_truncation_reduces_variety(model):
    full = gan.sample_faces(32, 3, 1.0, generator=model).reshape(32, -1).astype(float)
    low = gan.sample_faces(32, 3, 0.3, generator=model).reshape(32, -1).astype(float)
    assert low.std(0).mean() < 0.8 * full.std(0).mean()
    with pytest.raises(ValueError, match="Truncation"):
        gan.sample_faces(4, 3, 0.0, generator=model)


def test_interpolation_endpoints_equal_the_source_faces(model):
    a, b = (5, 0), (9, 2)
    for method in ("slerp", "linear"):
        frames = gan.walk(a, b, 6, method, generator=model)
        ends = gan.kept_faces([a, b], model)
        assert frames.shape == (6, 64, 64, 3)
        np.testing.assert_array_equal(frames[0], ends[0])
        np.testing.assert_array_equal(frames[-1], ends[1])
    za, zb = gan.kept_latent(*a), gan.kept_latent(*b)
    mid = gan.interpolate(za, zb, 3, "slerp")[1]
    assert abs(float(mid.norm()) - 0.5 * float(za.norm() + zb.norm())) < 0.1 * float(za.norm()), "slerp keeps the norm"
    lin = gan.interpolate(za, zb, 3, "linear")[1]
    assert float(lin.norm()) < float(mid.norm())


def test_arithmetic_and_gif(model):
    z = gan.arithmetic(gan.kept_latent(1, 0), gan.kept_latent(1, 1), gan.kept_latent(1, 2))
    torch.testing.assert_close(z, gan.kept_latent(1, 0) - gan.kept_latent(1, 1) + gan.kept_latent(1, 2))
    face = gan.arithmetic_face((1, 0), (1, 1), (1, 2), model)
    assert face.shape == (64, 64, 3)
    gif = gan.interpolation_gif(gan.walk((1, 0), (1, 1), 4, "slerp", generator=model), size=64)
    assert gif[:6] == b"GIF89a"


def test_principal_directions_change_the_face(model):
    d = gan.latent_directions(3, samples=600, generator=model)
    assert d.directions.shape == (3, 100)
    torch.testing.assert_close(d.directions.norm(dim=1), torch.ones(3))
    assert d.explained[0] >= d.explained[1] >= d.explained[2] > 0
    base = gan.steer((2, 0), d, [0, 0, 0], model)
    np.testing.assert_array_equal(base, gan.kept_faces([(2, 0)], model)[0])
    moved = gan.steer((2, 0), d, [3, 0, 0], model)
    assert np.abs(moved.astype(int) - base.astype(int)).mean() > 5


@pytest.mark.parametrize("text, expected", [("42:3,7:0", [(42, 3), (7, 0)]), ("", []), ("1:1,1:1", [(1, 1)])])
def test_kept_round_trip(text, expected):
    assert gan.parse_kept(text) == expected
    assert gan.parse_kept(gan.format_kept(expected)) == expected


@pytest.mark.parametrize("bad", ["x", "1:-2", "1:999", "1;2", "-1:0"])
def test_kept_malformed(bad):
    with pytest.raises(ValueError):
        gan.parse_kept(bad)


def test_bad_inputs_are_refused(model):
    with pytest.raises(BadInput, match="1 to 256"):
        gan.latents(0, 1)
    with pytest.raises(BadInput, match="seed"):
        gan.latents(2, -5)
    with pytest.raises(BadInput, match="NaN"):
        gan.generate(torch.full((1, 100), float("nan")), model)
    with pytest.raises(BadInput, match="Steps"):
        gan.interpolate(torch.zeros(100), torch.ones(100), 1)
    with pytest.raises(BadInput, match="Choose one of: slerp, linear"):
        gan.interpolate(torch.zeros(100), torch.ones(100), 3, "cubic")
    with pytest.raises(BadInput, match="Choose one of: nearest, lanczos"):
        gan.upscale(np.zeros((64, 64, 3), np.uint8), 128, "bicubic")
    with pytest.raises(TypeError):
        gan.sample_faces(4, 1)  # the generator is required: vision_core never loads one itself
