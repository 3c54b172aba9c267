"""Segmentation: selfie mask on the astronaut, VOC palette and models offline, instances, FCN/U-Net shapes, sliding windows."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision

from vision_core import pose as P
from vision_core import segmentation as S
from vision_core.models import WeightsMissing, get_model, get_spec, missing_requirements


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Two shared cores: one torch thread avoids OpenMP oversubscription; restored afterwards."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def face_box(astronaut) -> tuple[float, float, float, float]:
    faces = P.detect_faces(astronaut, get_model("mtcnn", "cpu"))
    assert len(faces) == 1
    return faces[0].box


@pytest.fixture(scope="module")
def selfie(astronaut) -> S.SegmentationResult:
    return S.segment(astronaut, "selfie", net=get_model("selfie"))


@pytest.mark.parametrize("model", ["selfie", "selfie_landscape"])
def test_selfie_mask_covers_the_astronaut(astronaut, face_box, model):
    result = S.segment(astronaut, model, net=get_model(model))
    assert result.class_map.shape == astronaut.shape[:2] and result.class_names == ("background", "person")
    person = result.class_map == 1
    assert person.mean() >= 0.30
    x0, y0, x1, y1 = (int(round(v)) for v in face_box)
    assert person[y0:y1, x0:x1].mean() > 0.8, "the MTCNN face box lies mostly inside the mask"
    assert not person[:60, :60].any() or person[:60, :60].mean() < 0.05, "the flag in the top-left corner is background"
    np.testing.assert_allclose(result.scores.sum(0), 1.0, atol=1e-6)
    assert ((result.scores[1] > 0.5) == person).all()


def test_selfie_finds_almost_no_person_in_a_texture():
    from vision_core.io.samples import load_sample

    result = S.segment(load_sample("brick"), "selfie", net=get_model("selfie"))
    assert (result.class_map == 1).mean() < 0.05


def test_threshold_and_bad_inputs(astronaut):
    net = get_model("selfie")
    loose = S.segment(astronaut, "selfie", net=net, threshold=0.1).class_map.mean()
    strict = S.segment(astronaut, "selfie", net=net, threshold=0.9).class_map.mean()
    assert loose >= strict
    with pytest.raises(ValueError, match="threshold"):
        S.segment(astronaut, "selfie", net=net, threshold=1.0)
    with pytest.raises(ValueError, match="Unknown segmentation model"):
        S.segment(astronaut, "segformer", net=net)
    with pytest.raises(ValueError, match="uint8"):
        S.segment(astronaut.astype(np.float32), "selfie", net=net)


def test_voc_palette_and_shares(selfie):
    pal = S.palette(21)
    assert tuple(pal[0]) == (0, 0, 0) and tuple(pal[1]) == (128, 0, 0) and tuple(pal[15]) == (192, 128, 128)
    assert len({tuple(c) for c in pal}) == 21
    shares = S.class_shares(selfie)
    assert set(shares) == {"background", "person"} and sum(shares.values()) == pytest.approx(1.0)
    assert shares["person"] == pytest.approx((selfie.class_map == 1).mean())


def test_overlay_paints_only_the_person(astronaut, selfie):
    same = S.overlay(astronaut, selfie, alpha=0.0)
    np.testing.assert_array_equal(same, astronaut)
    full = S.overlay(astronaut, selfie, alpha=1.0)
    person = selfie.class_map == 1
    assert (full[person] == (255, 64, 160)).all() and (full[~person] == astronaut[~person]).all()
    assert S.colour_mask(selfie).shape == astronaut.shape
    with pytest.raises(ValueError, match="Opacity"):
        S.overlay(astronaut, selfie, alpha=2.0)


def test_voc_model_offline_message_then_stubbed_download(astronaut, tmp_path, monkeypatch):
    """LR-ASPP with weights=None saved where torch.hub caches the download; the page's path end to end."""
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
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
    assert S.overlay(small, result).shape == small.shape
    assert abs(sum(S.class_shares(result).values()) - 1) < 1e-9


def test_mask_rcnn_offline_message_then_stubbed_download(astronaut, tmp_path, monkeypatch):
    """Mask R-CNN with weights=None saved as the download, loaded by get_model; run at a small size to stay fast."""
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    spec = get_spec("maskrcnn")
    assert "170 MB" in missing_requirements(spec)[0] and spec.classes[1] == "person"
    with pytest.raises(WeightsMissing, match="MaskRCNN_ResNet50_FPN_Weights"):
        get_model("maskrcnn")
    torch.manual_seed(0)
    stub = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None)
    spec.weights.cache_path.parent.mkdir(parents=True)
    torch.save(stub.state_dict(), spec.weights.cache_path)
    del stub
    net = get_model("maskrcnn", "cpu")
    net.transform.min_size, net.transform.max_size = (128,), 160
    small = astronaut[::4, ::4].copy()
    res = S.mask_rcnn_instances(small, net, spec.classes, score_threshold=0.0)
    assert not res.substitute and res.method == "Mask R-CNN" and len(res) > 0
    assert res.masks.shape == (len(res), 128, 128) and res.boxes.shape == (len(res), 4) and len(res.labels) == len(res)
    assert set(res.labels) <= set(spec.classes)
    assert S.instance_overlay(small, res).shape == small.shape


def test_grabcut_substitute_finds_the_astronaut(astronaut, selfie):
    people = P.detect_people(astronaut, get_model("blazepose"))
    body = np.array([[60, 100, 380, 512]], np.float32)
    res = S.grabcut_instances(astronaut, body, scores=np.array([people[0].score]))
    assert res.substitute and "substitute" in res.method and "Mask R-CNN" not in res.method
    mask = res.masks[0]
    person = selfie.class_map == 1
    iou = (mask & person).sum() / (mask | person).sum()
    assert iou > 0.5, iou
    assert not mask[:, 400:].any(), "nothing outside the box"
    split = S.split_mask_by_boxes(person, np.array([[0, 0, 256, 512], [256, 0, 512, 512]]))
    assert len(split) == 2 and (split.masks[0] | split.masks[1]).sum() == person.sum()
    assert not (split.masks[0] & split.masks[1]).any()
    drawn = S.instance_overlay(astronaut, res)
    assert (drawn != astronaut).any()
    with pytest.raises(ValueError, match="iterations"):
        S.grabcut_instances(astronaut, body, iterations=0)


def test_sliding_window_count_is_the_lecture_point():
    cost = S.sliding_window_cost(512, 512, patch=64)
    assert cost.windows == 262_144 and cost.redundancy == 4096 and cost.pixel_reads == 262_144 * 4096
    with pytest.raises(ValueError, match="patch"):
        S.sliding_window_cost(512, 512, patch=0)


def test_fcn_and_unet_shapes():
    fcn = S.fcn_shapes(224, 224)
    pool5 = fcn[5]
    assert (pool5.channels, pool5.height, pool5.width) == (512, 7, 7), "the lecture's 7×7×512"
    assert fcn[6].channels == 4096 and (fcn[-1].channels, fcn[-1].height, fcn[-1].width) == (21, 224, 224)
    unet = S.unet_shapes(572, 572)
    assert (unet[-1].height, unet[-1].width) == (388, 388), "Ronneberger et al.: 572 in, 388 out"
    bottleneck = next(r for r in unet if r.stage.startswith("bottleneck"))
    assert (bottleneck.channels, bottleneck.height) == (1024, 28)
    assert sum(1 for r in unet if r.skip) == 4
    same = S.unet_shapes(256, 256, padding="same")
    assert same[-1].height == 256
    with pytest.raises(ValueError, match="odd size"):
        S.unet_shapes(570, 570)
