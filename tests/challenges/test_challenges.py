"""Every challenge: an attempt that passes and one that fails, scored by the real computation; the registry
itself (ids, pages, links, forged ids)."""

from __future__ import annotations

import numpy as np
import pytest

from vision_core.challenges import by_page, challenge, challenge_ids
from vision_core.challenges.kernels import HIDDEN_KERNEL
from vision_core.challenges.results import GAN_OUTCOMES, OCCLUDER_TARGET
from vision_core.errors import BadInput
from vision_core.ops.shapes import Layer

SOBEL_X = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], float)


def _score(cid: str, **attempt):
    return challenge(cid).score(attempt)


def test_registry_holds_at_least_twelve_challenges_over_six_pages():
    ids = challenge_ids()
    assert len(ids) >= 12 and len(set(ids)) == len(ids)
    pages = {challenge(i).page for i in ids}
    assert len(pages) >= 6
    assert ids[0].startswith("conv-"), "course order: convolution first"
    for cid in ids:
        c = challenge(cid)
        sentences = [s for s in c.task.replace("e.g.", "eg").split(". ") if s.strip()]
        assert len(sentences) == 2 and c.task.endswith("."), (cid, c.task)
        assert c.lecture and c.title
        assert c.link().startswith(f"/{c.page}?challenge={cid}")
    assert [c.id for c in by_page("output_size")] == ["size-keep-28", "size-receptive-50"]


def test_a_forged_id_is_a_sentence():
    with pytest.raises(BadInput, match="There is no challenge 'nope'. Challenges: arch-cifar-1m"):
        challenge("nope")
    with pytest.raises(BadInput, match="no challenge 'that'"):
        challenge("<script>" * 20)
    with pytest.raises(BadInput, match="no kernel yet"):
        challenge("conv-blur").score({})


def test_vertical_edges():
    ok = _score("conv-vertical-edges", kernel=SOBEL_X)
    assert ok.passed and ok.value == 1.0 and "vertical edges only" in ok.measured
    assert _score("conv-vertical-edges", kernel=[[1, 0, -1]] * 3).passed, "the lecture's [1 0 −1] rows"
    turned = _score("conv-vertical-edges", kernel=SOBEL_X.T)
    assert not turned.passed and turned.value == 0.0 and "horizontal" in turned.hint
    flat = _score("conv-vertical-edges", kernel=np.ones((3, 3)))
    assert not flat.passed and "sum to 0" in flat.hint and flat.value < 0.5
    assert "3×3" in _score("conv-vertical-edges", kernel=np.ones((5, 5))).hint


def test_blur_keeps_the_brightness():
    box = np.full((3, 3), 1 / 9)
    ok = _score("conv-blur", kernel=box)
    assert ok.passed and "sum to 1" in ok.measured and ok.value == 1.0
    brighter = _score("conv-blur", kernel=np.ones((3, 3)))
    assert not brighter.passed and "brighter" in brighter.hint
    sharpen = _score("conv-blur", kernel=[[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    assert not sharpen.passed and "negative" in sharpen.hint
    identity = _score("conv-blur", kernel=[[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    assert not identity.passed and identity.value == pytest.approx(0.0, abs=0.01)


def test_which_kernel(astronaut):
    ok = _score("conv-which-kernel", kernel=HIDDEN_KERNEL, image=astronaut)
    assert ok.passed and ok.value == pytest.approx(1.0)
    inverted = _score("conv-which-kernel", kernel=-HIDDEN_KERNEL, image=astronaut)
    assert not inverted.passed and "inverted" in inverted.hint
    assert not _score("conv-which-kernel", kernel=np.full((3, 3), 1 / 9), image=astronaut).passed


def test_keep_28():
    assert _score("size-keep-28", size=28, kernel=5, stride=1, padding=2).passed
    shrunk = _score("size-keep-28", size=28, kernel=5, stride=1, padding=0)
    assert not shrunk.passed and "→ 24×24" in shrunk.measured and shrunk.value == pytest.approx(24 / 28)
    assert "stride" in _score("size-keep-28", size=28, kernel=5, stride=2, padding=2).hint
    assert _score("size-keep-28", size=28, kernel=3, stride=1, padding=1).value == 0.0


def test_receptive_50():
    # r ← r + (F − 1)·jump, jump ← jump·S: 7/2 → 7 (jump 2), 5/2 → 15 (jump 4), 5/2 → 31 (jump 8), 5/1 → 63
    ok = _score("size-receptive-50", layers=[Layer("conv", 7, 2), Layer("conv", 5, 2), Layer("conv", 5, 2), Layer("conv", 5, 1)])
    assert ok.passed and "receptive field 63 px" in ok.measured
    # three 3×3 stride-2 convs after a 7×7/2: 7 → 11 → 19 → 35
    short = _score("size-receptive-50", layers=[Layer("conv", 7, 2), Layer("conv", 3, 2), Layer("conv", 3, 2), Layer("conv", 3, 2)])
    assert not short.passed and "receptive field 35 px" in short.measured
    small = _score("size-receptive-50", layers=[Layer("conv", 3, 1)] * 4)
    assert not small.passed and "receptive field 9 px" in small.measured and small.value == pytest.approx(9 / 50)
    too_many = _score("size-receptive-50", layers=[Layer("conv", 5, 2)] * 5)
    assert not too_many.passed and "at most 4" in too_many.hint


def test_cifar_under_a_million():
    from vision_core.architectures import edit_to_text, preset

    size, lenet = preset("lenet5")
    # LeNet-5 on a 3-channel 32×32 input with 10 outputs: about 62 thousand parameters
    ok = _score("arch-cifar-1m", layers=edit_to_text(lenet), input_size=(3, 32, 32))
    assert ok.passed, ok
    size, vgg = preset("vgg11")
    big = _score("arch-cifar-1m", layers=edit_to_text(vgg), input_size=(3, 32, 32))
    assert not big.passed and "output 1000" in big.measured


def test_halve_alexnet():
    from vision_core.architectures import EditLayer, edit_to_text, preset

    size, alex = preset("alexnet")
    same = _score("arch-halve-alexnet", layers=edit_to_text(alex), input_size=size)
    assert not same.passed and "(100 %" in same.measured and same.value == 0.0
    # halve the filters of every convolution: about a quarter of the conv operations
    thin = [EditLayer(**{**layer.__dict__, "out": max(1, layer.out // 2)}) if layer.kind == "conv" else layer for layer in alex]
    ok = _score("arch-halve-alexnet", layers=edit_to_text(thin), input_size=size)
    assert ok.passed, ok


def test_occluder():
    assert _score("see-smallest-occluder", occluder_side=32, top1_before="tiger cat", top1_after="bath towel").passed
    big = _score("see-smallest-occluder", occluder_side=96, top1_before="tiger cat", top1_after="bath towel")
    assert not big.passed and big.value == pytest.approx(OCCLUDER_TARGET / 96)
    assert _score("see-smallest-occluder", occluder_side=16, top1_before="tiger cat", top1_after="tiger cat").value == 0.0


def test_one_box_per_object():
    cat, person = [40, 260, 330, 455], [400, 30, 560, 255]
    ok = _score("det-one-box-each", boxes=[cat, person], labels=["cat", "person"], iou_threshold=0.45)
    assert ok.passed
    dup = _score("det-one-box-each", boxes=[cat, [50, 270, 320, 450], person], labels=["cat", "cat", "person"], iou_threshold=0.95)
    assert not dup.passed and "2 boxes on the cat" in dup.measured and dup.value == pytest.approx(0.25)
    assert "lower the NMS IoU" in dup.hint
    lost = _score("det-one-box-each", boxes=[cat], labels=["cat"], iou_threshold=0.1)
    assert not lost.passed and lost.value == pytest.approx(0.5)


def test_cnn_95_in_2():
    assert _score("cnn-95-in-2", test_accuracy=0.961, epochs=2).passed
    slow = _score("cnn-95-in-2", test_accuracy=0.97, epochs=6)
    assert not slow.passed and slow.value <= 0.5
    low = _score("cnn-95-in-2", test_accuracy=0.80, epochs=1)
    assert not low.passed and low.value == pytest.approx(0.3 / 0.45)


def test_gan_collapse():
    from vision_core.generative import COLLAPSE_THRESHOLD

    assert _score("gan-collapse", diversity=COLLAPSE_THRESHOLD / 3, named="mode collapse").passed
    unnamed = _score("gan-collapse", diversity=COLLAPSE_THRESHOLD / 3, named="the discriminator won")
    assert not unnamed.passed and unnamed.value == 0.5
    healthy = _score("gan-collapse", diversity=COLLAPSE_THRESHOLD * 2, named="mode collapse")
    assert not healthy.passed and healthy.value == 0.25
    assert GAN_OUTCOMES[1] == "mode collapse"


def test_style_loss_down():
    assert _score("style-loss-down", style_losses=[100.0, 40.0, 8.0], steps=150).passed
    slow = _score("style-loss-down", style_losses=[100.0, 60.0], steps=150)
    assert not slow.passed and slow.value == pytest.approx(0.4 / 0.9)
    with pytest.raises(BadInput, match="Run the optimisation"):
        _score("style-loss-down", style_losses=[1.0], steps=1)


def test_template_after_20_degrees():
    assert _score("classic-template-20", rotation=20, found=True, peak=0.71).passed
    assert not _score("classic-template-20", rotation=20, found=False, peak=0.9).passed
    assert not _score("classic-template-20", rotation=5, found=True, peak=0.9).passed


def test_template_needs_a_normalised_correlation():
    assert "normalised correlation" in _score("classic-template-20", rotation=20, found=True, peak=0.1,
                                              method="sqdiff_normed").hint
