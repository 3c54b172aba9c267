"""ILSVRC results as published: every winner 2010–2017, VGG second in 2014, the human estimate, and the drops."""

from __future__ import annotations

import pytest

from vision_core.errors import BadInput
from vision_core.history import HUMAN_TOP5, ILSVRC, ilsvrc_winners, improvement


def test_one_winner_a_year_errors_falling():
    winners = ilsvrc_winners()
    assert [r.year for r in winners] == list(range(2010, 2018))
    errors = [r.top5 for r in winners]
    assert errors == sorted(errors, reverse=True)
    assert [r.deep for r in winners] == [False, False] + [True] * 6, "CNNs win from 2012 on"
    assert all(r.source and 0 < r.top5 < 100 for r in ILSVRC)


def test_the_published_numbers():
    table = {(r.year, r.system): r.top5 for r in ILSVRC}
    assert table == {
        (2010, "SIFT + LBP, sparse coding, SVMs"): 28.2, (2011, "Fisher vectors + linear SVMs"): 25.8,
        (2012, "AlexNet"): 16.4, (2013, "ZFNet"): 11.7, (2014, "GoogLeNet"): 6.7, (2014, "VGG"): 7.3,
        (2015, "ResNet"): 3.57, (2016, "Trimps-Soushen"): 2.99, (2017, "SENet"): 2.25,
    }
    assert HUMAN_TOP5 == 5.1
    assert "15.3" in next(r for r in ILSVRC if r.year == 2012).note, "the entry with extra data is named"


def test_what_the_lecture_says_about_them():
    vgg = next(r for r in ILSVRC if r.system == "VGG")
    assert vgg.place == 2 and vgg.year == 2014, "VGGNet (2nd place ILSVRC 2014)"
    assert next(r for r in ILSVRC if r.system == "GoogLeNet").place == 1, "GoogLeNet (winner ILSVRC 2014)"
    resnet = next(r for r in ILSVRC if r.system == "ResNet")
    assert resnet.place == 1 and resnet.top5 < HUMAN_TOP5, "ResNet (winner ILSVRC 2015), below the human estimate"
    assert improvement(2011, 2012) == pytest.approx(9.4), "AlexNet's margin: 25.8 − 16.4"
    with pytest.raises(BadInput, match="2010, 2011"):
        improvement(2009, 2012)
