"""ui.figures: a remembered figure builder builds once per distinct input and hands back the same figure
(and the same serialised dict) on every later call; different inputs build again."""

from __future__ import annotations

import numpy as np
import plotly.io

from ui.conv_plots import number_grid
from ui.figures import _SHARED, remembered


def test_same_arguments_same_figure_built_once():
    calls = []

    @remembered
    def heat(values, title: str = ""):
        calls.append(1)
        return number_grid.build(values, title)

    a = np.arange(6.0).reshape(2, 3)
    first = heat(a, title="x")
    again = heat(a.copy(), title="x")
    assert again is first and len(calls) == 1, "equal arrays are the same key"
    assert heat(a, title="y") is not first and len(calls) == 2, "another title is another figure"
    assert heat(a + 1, title="x") is not first and len(calls) == 3, "other values, another figure"
    assert heat(a.astype(np.float32), title="x") is not first and len(calls) == 4, "the dtype is part of the key"
    fresh = number_grid.build(a, "x")
    assert first.to_dict() is first.to_dict(), "serialised once"
    assert plotly.io.to_json(first.to_dict(), validate=False) == plotly.io.to_json(fresh.to_dict(), validate=False)
    assert first.to_dict()["data"][0]["text"] == [["0", "1", "2"], ["3", "4", "5"]]


def test_sample_photo_figures_are_shared():
    before = _SHARED.built
    fig = number_grid(np.eye(3), "shared", photo_key="sample:chelsea")
    assert number_grid(np.eye(3), "shared", photo_key="sample:chelsea") is fig
    assert number_grid(np.eye(3), "shared") is fig, "the photo key only chooses the store, never the figure"
    assert _SHARED.built == before + 1
