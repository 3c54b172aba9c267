"""Semantic segmentation: the selfie mask on the astronaut, thresholds and bad input, the VOC palette, overlays,
and a VOC model offline then with stubbed weights."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision
from torchvision.utils import draw_segmentation_masks

from vision_core import pose as P
from vision_core import segmentation as S
from vision_core.io.samples import load_sample
from vision_core.models import WeightsMissing, get_model, get_spec, missing_requirements

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def face_box(astronaut) -> tuple[float, float, float, float]:
    faces = P.detect_faces(astronaut, get_model("mtcnn", "cpu"))
    assert len(faces) == 1
    return faces[0].box


@pytest.mark.parametrize("model", ["selfie", "selfie_landscape"])
def test_selfie_mask_covers_the_astronaut(astronaut, face_box, model):
    result = S.segment(astronaut, model, net=get_model(model, "cpu"))
    assert result.class_map.shape == astronaut.shape[:2] and result.class_names == ("background", "person")
    person = result.class_map == 1
    assert person.mean() >= 0.30
    x0, y0, x1, y1 = (int(round(v)) for v in face_box)
    assert person[y0:y1, x0:x1].mean() > 0.8, "the MTCNN face box lies mostly inside the mask"
    assert not person[:60, :60].any() or person[:60, :60].mean() < 0.05, "the flag in the top-left corner is background"
    np.testing.assert_allclose(result.scores.sum(0), 1.0, atol=1e-6)
    assert ((result.scores[1] > 0.5) == person).all()
    assert result.seconds > 0
    np.testing.assert_array_equal(result.mask("person"), person)
    assert not result.class_map.flags.writeable and not result.scores.flags.writeable, "results may be shared"


def test_selfie_finds_almost_no_person_in_a_texture(selfie_net):
    result = S.segment(load_sample("brick"), "selfie", net=selfie_net)
    assert (result.class_map == 1).mean() < 0.05


def test_threshold_and_bad_inputs(astronaut, selfie_net, selfie):
    loose = S.segment(astronaut, "selfie", net=selfie_net, threshold=0.1).class_map.mean()
    strict = S.segment(astronaut, "selfie", net=selfie_net, threshold=0.9).class_map.mean()
    assert loose >= strict
    with pytest.raises(ValueError, match="threshold"):
        S.segment(astronaut, "selfie", net=selfie_net, threshold=1.0)
    with pytest.raises(ValueError, match="Unknown segmentation model 'segformer'. Choose one of: selfie"):
        S.segment(astronaut, "segformer", net=selfie_net)
    with pytest.raises(ValueError, match="uint8"):
        S.segment(astronaut.astype(np.float32), "selfie", net=selfie_net)
    with pytest.raises(ValueError, match="Unknown class 'cat'"):
        selfie.mask("cat")


def test_voc_palette_and_shares(selfie):
    pal = S.palette(21)
    assert tuple(pal[0]) == (0, 0, 0) and tuple(pal[1]) == (128, 0, 0) and tuple(pal[15]) == (192, 128, 128)
    assert len({tuple(c) for c in pal}) == 21
    shares = S.class_shares(selfie)
    assert set(shares) == {"background", "person"} and sum(shares.values()) == pytest.approx(1.0)
    assert shares["person"] == pytest.approx((selfie.class_map == 1).mean())


def test_overlay_paints_only_the_person(astronaut, selfie):
    same = S.overlay_mask(astronaut, selfie, alpha=0.0)
    np.testing.assert_array_equal(same, astronaut)
    full = S.overlay_mask(astronaut, selfie, alpha=1.0)
    person = selfie.class_map == 1
    assert (full[person] == (255, 64, 160)).all() and (full[~person] == astronaut[~person]).all()
    assert S.colour_mask(selfie).shape == astronaut.shape
    with pytest.raises(ValueError, match="Opacity"):
        S.overlay_mask(astronaut, selfie, alpha=2.0)
    with pytest.raises(ValueError, match="must match"):
        S.overlay_mask(astronaut[:100], selfie)


@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.55, 1.0])
def test_blend_masks_equals_torchvision(astronaut, alpha):
    """Two overlapping masks: the numpy blend gives torchvision's draw_segmentation_masks exactly (overlap black)."""
    masks = np.zeros((2, 512, 512), bool)
    masks[0, 100:300, 100:300] = True
    masks[1, 200:400, 250:450] = True
    colours = [(255, 64, 160), (0, 130, 200)]
    ref = draw_segmentation_masks(torch.from_numpy(astronaut.copy()).permute(2, 0, 1), torch.from_numpy(masks),
                                  alpha=alpha, colors=colours).permute(1, 2, 0).numpy()
    np.testing.assert_array_equal(S.blend_masks(astronaut, masks, colours, alpha), ref)


def test_compact_keeps_what_the_page_shows(selfie):
    """compact(): uint8 probability images of the classes present instead of the float scores, same pictures."""
    small = selfie.compact()
    assert small.scores is None and set(small.probabilities) == {"background", "person"}
    assert small.nbytes == selfie.class_map.nbytes * 3 < selfie.nbytes == selfie.class_map.nbytes * 9
    for name in ("background", "person"):
        np.testing.assert_array_equal(S.probability_image(small, name), S.probability_image(selfie, name))
    assert S.class_shares(small) == S.class_shares(selfie) and small.compact() is small
    one_class = S.SegmentationResult(np.zeros((4, 4), np.uint8), ("background", "person"),
                                     np.stack([np.ones((4, 4)), np.zeros((4, 4))]).astype(np.float32), "hand").compact()
    with pytest.raises(ValueError, match="No pixel of this photo is 'person'"):
        S.probability_image(one_class, "person")


def test_probability_image(selfie):
    p = S.probability_image(selfie, "person")
    assert p.dtype == np.uint8 and p.shape == selfie.shape
    np.testing.assert_array_equal(p, np.clip(np.rint(selfie.scores[1] * 255), 0, 255).astype(np.uint8))
    assert (p > 127).mean() == pytest.approx((selfie.class_map == 1).mean(), abs=0.01)
    with pytest.raises(ValueError, match="not one of this model's classes"):
        S.probability_image(selfie, "cat")


def test_voc_model_offline_message_then_stubbed_download(astronaut, hub):
    """LR-ASPP with weights=None saved where torch.hub caches the download; the page's path end to end."""
    spec = get_spec("lraspp")
    assert len(spec.classes) == 21 and spec.classes[15] == "person"
    assert "12 MB" in missing_requirements(spec)[0]
    with pytest.raises(WeightsMissing, match="download button"):
        get_model("lraspp")
    torch.manual_seed(0)
    reference = torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None).eval()
    spec.weights.cache_path.parent.mkdir(parents=True)
    torch.save(reference.state_dict(), spec.weights.cache_path)
    assert missing_requirements(spec) == []
    net = get_model("lraspp", "cpu")
    small = astronaut[::4, ::4].copy()
    result = S.segment(small, "lraspp", net=net)
    assert result.class_map.shape == small.shape[:2] and result.scores.shape == (21, 128, 128)
    np.testing.assert_allclose(result.scores.sum(0), 1.0, atol=1e-5)
    with torch.inference_mode():
        x = torch.from_numpy(small).permute(2, 0, 1)[None].float() / 255
        x = torch.nn.functional.interpolate(x, size=(520, 520), mode="bilinear", antialias=True)
        x = torchvision.transforms.functional.normalize(x, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        ref = torch.nn.functional.interpolate(reference(x)["out"], size=(128, 128), mode="bilinear").argmax(1)[0]
    assert (ref.numpy() == result.class_map).mean() > 0.99
    assert S.overlay_mask(small, result).shape == small.shape
    assert abs(sum(S.class_shares(result).values()) - 1) < 1e-9
