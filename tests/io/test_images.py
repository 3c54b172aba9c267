"""vision_core.io.images: every mode becomes (H, W, 3) uint8 RGB; every refusal is a readable ImageError."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from tests.conftest import encode
from vision_core.io.images import MAX_PIXELS, ImageError, load_image, resize_max_side, to_gray, to_png_bytes


def _rgb(w: int = 40, h: int = 30) -> Image.Image:
    arr = np.zeros((h, w, 3), np.uint8)
    arr[..., 0] = np.arange(w, dtype=np.uint8)[None, :] * 5
    arr[..., 1] = np.arange(h, dtype=np.uint8)[:, None] * 7
    arr[..., 2] = 200
    return Image.fromarray(arr)


def test_png_rgb_roundtrip_exact():
    img = _rgb()
    out = load_image(encode(img, "PNG"))
    assert out.shape == (30, 40, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, np.asarray(img))


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "BMP", "TIFF", "GIF"])
def test_formats_decode_to_rgb(fmt):
    out = load_image(encode(_rgb(), fmt))
    assert out.shape == (30, 40, 3) and out.dtype == np.uint8


def test_rgba_composited_on_white():
    arr = np.zeros((10, 12, 4), np.uint8)
    arr[..., 0] = 255
    arr[:, :6, 3] = 0
    arr[:, 6:, 3] = 255
    out = load_image(encode(Image.fromarray(arr, "RGBA"), "PNG"))
    assert (out[:, :6] == 255).all()
    assert (out[:, 6:] == [255, 0, 0]).all()


def test_la_composited_on_white():
    arr = np.zeros((10, 10, 2), np.uint8)
    arr[..., 0] = 0
    arr[..., 1] = 128
    out = load_image(encode(Image.fromarray(arr, "LA"), "PNG"))
    assert out.shape == (10, 10, 3)
    assert abs(int(out[0, 0, 0]) - 127) <= 1 and (out[..., 0] == out[..., 2]).all()


def test_palette_and_grey_and_one_bit():
    pal = _rgb().convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    assert load_image(encode(pal, "PNG")).shape == (30, 40, 3)
    grey = Image.fromarray(np.full((9, 9), 77, np.uint8), "L")
    np.testing.assert_array_equal(load_image(encode(grey, "PNG")), 77)
    bw = Image.fromarray(np.eye(16, dtype=bool))
    out = load_image(encode(bw, "PNG"))
    assert out[0, 0].tolist() == [255, 255, 255] and out[0, 1].tolist() == [0, 0, 0]


def test_cmyk_jpeg():
    cmyk = Image.new("CMYK", (20, 20), (0, 255, 255, 0))
    out = load_image(encode(cmyk, "JPEG", quality=95))
    r, g, b = out[10, 10].astype(int)
    assert r > 200 and g < 60 and b < 60


def test_sixteen_bit_scaled():
    arr = np.full((12, 12), 65535, np.uint16)
    arr[:6] = 0
    out = load_image(encode(Image.fromarray(arr), "PNG"))
    assert out[0, 0].tolist() == [0, 0, 0] and out[11, 0].tolist() == [255, 255, 255]


def test_animated_gif_first_frame():
    frames = [Image.new("RGB", (16, 16), c) for c in [(255, 0, 0), (0, 0, 255)]]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    out = load_image(buf.getvalue())
    assert out[8, 8, 0] > 200 and out[8, 8, 2] < 50


def test_exif_rotation_applied():
    img = _rgb(40, 20)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = load_image(encode(img, "JPEG", exif=exif, quality=95))
    assert out.shape == (40, 20, 3)


def test_downscale_keeps_aspect():
    out = load_image(encode(_rgb(400, 100), "PNG"), max_side=100)
    assert out.shape == (25, 100, 3)
    assert load_image(encode(_rgb(40, 30), "PNG"), max_side=100).shape == (30, 40, 3)


@pytest.mark.parametrize(
    "data, phrase",
    [
        (b"", "empty"),
        (b"hello, I am a text file renamed to .jpg", "not an image"),
    ],
)
def test_refusals(data, phrase):
    with pytest.raises(ImageError, match=phrase):
        load_image(data)


def test_truncated_jpeg_and_png():
    jpg = encode(_rgb(200, 200), "JPEG")
    png = encode(_rgb(200, 200), "PNG")
    for data in (jpg[: len(jpg) // 2], png[: len(png) // 2]):
        with pytest.raises(ImageError, match="truncated|damaged"):
            load_image(data)


def _png_header_only(w: int, h: int) -> bytes:
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [7000, 20000])
def test_decompression_bomb_refused_before_decoding(side):
    assert side * side > MAX_PIXELS
    with pytest.raises(ImageError, match="megapixels"):
        load_image(_png_header_only(side, side))


@pytest.mark.parametrize("size", [(1, 1), (10000, 4), (5, 100)])
def test_too_small_refused(size):
    img = Image.new("RGB", size, (1, 2, 3))
    with pytest.raises(ImageError, match="at least 8"):
        load_image(encode(img, "PNG"))


def test_tall_thin_image_is_refused_when_downscaling_would_go_below_min_side():
    with pytest.raises(ImageError, match="too long and thin"):
        load_image(encode(Image.new("RGB", (10000, 10), (9, 9, 9)), "PNG"), max_side=2048)
    out = load_image(encode(Image.new("RGB", (4000, 40), (9, 9, 9)), "PNG"), max_side=2048)
    assert out.shape == (20, 2048, 3)


def test_not_bytes_refused():
    with pytest.raises(ImageError):
        load_image("astronaut.png")  # type: ignore[arg-type]


def test_to_gray_matches_opencv(astronaut):
    import cv2

    ours = to_gray(astronaut)
    ref = cv2.cvtColor(astronaut, cv2.COLOR_RGB2GRAY)
    assert np.abs(ours.astype(int) - ref.astype(int)).max() <= 1


def test_png_bytes_roundtrip(chelsea):
    np.testing.assert_array_equal(load_image(to_png_bytes(chelsea)), chelsea)


def test_resize_never_upscales():
    arr = np.zeros((50, 60, 3), np.uint8)
    assert resize_max_side(arr, 100).shape == (50, 60, 3)
    assert resize_max_side(arr, 30).shape == (25, 30, 3)
