"""Hostile and broken image files (a corpus generated here) through ``vision_core.io.images.load_image``,
and property tests on ``load_image`` and on the shape arithmetic of ``vision_core.ops.shapes``."""

from __future__ import annotations

import functools
import io
import math
import struct
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from vision_core.io.images import MAX_PIXELS, ImageError, load_image


def _encode(img: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _gradient(w: int, h: int) -> Image.Image:
    """An RGB image whose red channel grows with x and green with y (orientation is visible)."""
    x = np.linspace(0, 255, w, dtype=np.float64)[None, :].repeat(h, 0)
    y = np.linspace(0, 255, h, dtype=np.float64)[:, None].repeat(w, 1)
    arr = np.stack([x, y, np.full_like(x, 40)], axis=-1).astype(np.uint8)
    return Image.fromarray(arr)


def png_header_bomb(width: int = 20000, height: int = 20000) -> bytes:
    """A tiny, valid-looking PNG whose header claims ``width``×``height`` (no pixel data worth decoding)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def exif_rotated_jpeg() -> bytes:
    """A 64×32 (w×h) JPEG with EXIF orientation 6 (rotate 90° clockwise to display): shown as 32×64."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return _encode(_gradient(64, 32), "JPEG", quality=95, exif=exif.tobytes())


def animated_gif() -> bytes:
    """Three 40×30 frames: red, green, blue."""
    frames = [Image.new("RGB", (40, 30), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    return _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


@functools.cache
def corpus() -> dict[str, bytes]:
    """Every hostile file by name (the browser tests upload the same files)."""
    good_jpeg = _encode(_gradient(200, 120), "JPEG", quality=90)
    good_png = _encode(_gradient(200, 120), "PNG")
    sixteen = Image.fromarray((np.arange(64 * 48, dtype=np.uint16).reshape(48, 64) * 21))
    cmyk = Image.new("CMYK", (50, 40), (0, 255, 255, 0))
    palette = Image.new("RGB", (60, 40), (0, 0, 255)).convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    la = Image.new("LA", (30, 20), (0, 0))
    return {
        "empty.jpg": b"",
        "notes.jpg": b"These are my lecture notes, not a photo.\n" * 20,
        "truncated.jpg": good_jpeg[: len(good_jpeg) // 2],
        "truncated.png": good_png[: len(good_png) // 2],
        "bomb.png": png_header_bomb(),
        "one-pixel.png": _encode(Image.new("RGB", (1, 1), (1, 2, 3)), "PNG"),
        "strip-10000x10.png": _encode(Image.new("RGB", (10000, 10), (10, 200, 30)), "PNG"),
        "sixteen-bit.png": _encode(sixteen, "PNG"),
        "cmyk.jpg": _encode(cmyk, "JPEG", quality=95),
        "palette.png": _encode(palette, "PNG"),
        "la.png": _encode(la, "PNG"),
        "animated.gif": animated_gif(),
        "exif-rotated.jpg": exif_rotated_jpeg(),
    }


REFUSED = {
    "empty.jpg": "empty",
    "notes.jpg": "not an image",
    "truncated.jpg": "truncated or damaged",
    "truncated.png": "truncated or damaged",
    "bomb.png": "megapixels",
    "one-pixel.png": "at least 8×8",
    "strip-10000x10.png": "too long and thin",
}


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return corpus()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_a_sentence(files, name):
    with pytest.raises(ImageError, match=REFUSED[name]):
        load_image(files[name])


def test_bomb_is_refused_from_the_header_not_decoded(files):
    assert len(files["bomb.png"]) < 200
    assert 20000 * 20000 > MAX_PIXELS
    with pytest.raises(ImageError, match="refused before decoding"):
        load_image(files["bomb.png"])


def test_long_strip_is_refused_rather_than_shrunk_below_min_side(files):
    with pytest.raises(ImageError, match="too long and thin"):
        load_image(files["strip-10000x10.png"], max_side=2048)
    full = load_image(files["strip-10000x10.png"], max_side=10000)
    assert full.shape == (10, 10000, 3) and np.array_equal(full[5, 5000], [10, 200, 30])


def test_sixteen_bit_scaled_to_eight(files):
    arr = load_image(files["sixteen-bit.png"])
    assert arr.shape == (48, 64, 3)
    raw = (np.arange(64 * 48, dtype=np.float64).reshape(48, 64) * 21)
    expected = np.rint(raw / 65535 * 255).astype(np.uint8)
    assert np.array_equal(arr[..., 0], expected) and np.array_equal(arr[..., 1], expected)


def test_cmyk_becomes_red(files):
    arr = load_image(files["cmyk.jpg"])
    assert arr.shape == (40, 50, 3)
    r, g, b = arr.reshape(-1, 3).mean(0)
    assert r > 200 and g < 40 and b < 40


def test_palette_becomes_rgb(files):
    arr = load_image(files["palette.png"])
    assert arr.shape == (40, 60, 3)
    assert np.array_equal(np.unique(arr.reshape(-1, 3), axis=0), [[0, 0, 255]])


def test_transparent_la_is_composited_on_white(files):
    arr = load_image(files["la.png"])
    assert arr.shape == (20, 30, 3) and (arr == 255).all()


def test_animated_gif_gives_first_frame(files):
    arr = load_image(files["animated.gif"])
    assert arr.shape == (30, 40, 3)
    assert np.array_equal(arr[15, 20], [255, 0, 0])


def test_exif_rotation_applied(files):
    arr = load_image(files["exif-rotated.jpg"])
    assert arr.shape == (64, 32, 3)
    reference = np.asarray(_gradient(64, 32).transpose(Image.Transpose.ROTATE_270), dtype=np.int16)
    assert np.abs(arr.astype(np.int16) - reference).mean() < 4


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=0, max_size=4096))
def test_random_bytes_only_ever_raise_image_error(data):
    try:
        arr = load_image(data)
    except ImageError:
        return
    assert arr.dtype == np.uint8 and arr.ndim == 3 and arr.shape[2] == 3


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=64), st.sampled_from(sorted(corpus())), st.integers(0, 10_000))
def test_corrupted_real_files_only_raise_image_error(noise, name, at):
    original = corpus()[name]
    pos = at % (len(original) + 1)
    data = original[:pos] + noise + original[pos + len(noise):]
    try:
        arr = load_image(data)
    except ImageError:
        return
    assert arr.dtype == np.uint8 and arr.ndim == 3 and arr.shape[2] == 3 and min(arr.shape[:2]) >= 1


from vision_core.ops import shapes  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(
    size=st.integers(1, 40), kernel=st.integers(1, 7), stride=st.integers(1, 5),
    padding=st.integers(0, 6), dilation=st.integers(1, 3),
)
def test_conv_output_size_matches_torch(size, kernel, stride, padding, dilation):
    import torch
    import torch.nn.functional as F

    eff = dilation * (kernel - 1) + 1
    try:
        ours = shapes.conv_output_size(size, kernel, stride, padding, dilation, strict=False)
    except ValueError:
        assert size + 2 * padding < eff or padding > eff - 1
        return
    out = F.conv2d(torch.zeros(1, 1, size, 3 * eff), torch.zeros(1, 1, kernel, 1), stride=(stride, 1),
                   padding=(padding, 0), dilation=(dilation, 1))
    assert ours == out.shape[2]
    exact = shapes.conv_output_exact(size, kernel, stride, padding, dilation)
    if exact.denominator == 1:
        assert shapes.conv_output_size(size, kernel, stride, padding, dilation, strict=True) == ours
    else:
        with pytest.raises(ValueError, match="not a whole number"):
            shapes.conv_output_size(size, kernel, stride, padding, dilation, strict=True)


@settings(max_examples=200, deadline=None)
@given(
    size=st.integers(1, 20), kernel=st.integers(1, 6), stride=st.integers(1, 4),
    padding=st.integers(0, 4), output_padding=st.integers(0, 3), dilation=st.integers(1, 3),
)
def test_transposed_output_size_matches_torch(size, kernel, stride, padding, output_padding, dilation):
    import torch
    import torch.nn.functional as F

    try:
        ours = shapes.transposed_output_size(size, kernel, stride, padding, output_padding, dilation)
    except ValueError:
        raw = stride * (size - 1) - 2 * padding + dilation * (kernel - 1) + output_padding + 1
        assert output_padding >= max(stride, dilation) or raw < 1
        return
    out = F.conv_transpose2d(torch.zeros(1, 1, size, 1), torch.zeros(1, 1, kernel, 1), stride=(stride, 1),
                             padding=(padding, 0), output_padding=(output_padding, 0), dilation=(dilation, 1))
    assert ours == out.shape[2]


def _calls(bad):
    """Three calls with ``bad`` in the stride, the input size and the filter size, and what a valid value gives."""
    return (
        (lambda: shapes.conv_output_size(32, 3, bad, 1, strict=False), lambda v: (32 + 2 - 3) // v + 1),
        (lambda: shapes.conv_output_size(bad, 3, 1, 1), lambda v: v),
        (lambda: shapes.transposed_output_size(4, bad, 2, 0), lambda v: 2 * 3 + v),
    )


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.integers(-10**6, 0), st.integers(shapes.MAX_VALUE + 1, 10**30)))
def test_shape_arithmetic_rejects_absurd_integers_with_value_error(bad):
    """Zero, negative and astronomically large sizes, strides and filters are refused with a sentence."""
    for call, _ in _calls(bad):
        with pytest.raises(ValueError, match="must be"):
            call()


@settings(max_examples=60, deadline=None)
@given(st.integers(1000, 5000))
def test_shape_arithmetic_takes_large_but_real_integers(value):
    """A stride, an input or a filter in the thousands is unusual but real: the formula's answer comes back."""
    for call, expected in _calls(value):
        assert call() == expected(value)


@settings(max_examples=100, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_shape_arithmetic_rejects_absurd_floats_with_value_error(bad):
    """NaN, infinity, 2.5 or 1e308 are refused; a whole-valued float in range, if accepted, means that integer."""
    for call, expected in _calls(bad):
        if math.isfinite(bad) and bad.is_integer() and 1 <= bad <= shapes.MAX_VALUE:
            try:
                result = call()
            except ValueError:
                continue
            assert result == expected(int(bad))
        else:
            with pytest.raises(ValueError, match="must be"):
                call()


def test_lecture_shapes_match_torch():
    import torch
    import torch.nn.functional as F

    assert shapes.conv_output_size(7, 3, 1, 0) == 5 == F.conv2d(torch.zeros(1, 1, 7, 7), torch.zeros(1, 1, 3, 3)).shape[-1]
    assert shapes.conv_output_size(32, 5, 1, 2) == 32
    assert shapes.conv_params(5, 3, 10) == 760
