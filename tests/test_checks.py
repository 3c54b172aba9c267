"""vision_core.errors and vision_core.checks: one family, messages that list the valid choices."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vision_core.checks import check_choice, check_fraction, check_image, check_int, check_map, check_range
from vision_core import errors


def test_every_error_is_a_value_error_of_the_family():
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.VisionCoreError) and issubclass(cls, ValueError), name


def test_choice_lists_the_valid_ones():
    assert check_choice("b", ("a", "b"), "mode") == "b"
    with pytest.raises(errors.BadInput, match="Unknown mode 'c'. Choose one of: a, b."):
        check_choice("c", ("a", "b"), "mode")
    with pytest.raises(errors.BadInput, match="Choose one of: 1, 2"):
        check_choice([1], (1, 2), "size")  # unhashable: still a sentence


@pytest.mark.parametrize("bad", [math.nan, math.inf, "3", None, True])
def test_range_refuses_what_is_not_a_finite_number(bad):
    with pytest.raises(errors.BadInput, match="The stride"):
        check_range(bad, 0, 10, "The stride")


def test_ranges_and_integers():
    assert check_range(np.float32(0.5), 0, 1, "x") == 0.5 and check_fraction(1, "p") == 1.0
    with pytest.raises(errors.BadInput, match="between 0 and 1, got 1.5"):
        check_fraction(1.5, "The IoU threshold")
    with pytest.raises(errors.BadInput, match="at least 1, got 0"):
        check_int(0, 1, None, "top_k")
    with pytest.raises(errors.BadInput, match="whole number"):
        check_int(2.0, 1, 5, "top_k")
    assert check_int(np.int64(3), 1, 5, "k") == 3


def test_image_check():
    img = np.zeros((8, 9, 3), np.uint8)[:, ::-1]
    out = check_image(img)
    assert out.flags.c_contiguous and out.shape == (8, 9, 3)
    for bad, msg in [(np.zeros((8, 8)), r"\(H, W, 3\)"), (np.zeros((8, 8, 3), np.float32), "uint8"),
                     (np.zeros((7, 8, 3), np.uint8), "at least 8×8"), ([[0]], "numpy array")]:
        with pytest.raises(errors.ImageError, match=msg):
            check_image(bad)


def test_map_check_gives_a_float_map_and_names_what_is_wrong():
    m = check_map([[1, 2], [3, 4]])
    assert m.dtype == np.float64 and m.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    with pytest.raises(errors.BadInput, match=r"The filter must be a 2-D map \(H, W\), got shape \(3,\)"):
        check_map([1, 2, 3], "filter")
    with pytest.raises(errors.BadInput, match="got shape"):
        check_map(np.zeros((0, 3)))
    with pytest.raises(errors.BadInput, match="The input contains NaN or infinite values"):
        check_map([[1.0, math.inf]])
