"""vision_core.classic.viola_jones: OpenCV's cascades on the bundled photos, the page's box drawing."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from vision_core import classic
from vision_core.errors import BadInput
from vision_core.models import Serialized, get_model
from vision_core.ops.draw import draw_boxes

ASTRONAUT_FACE_CENTRE = (223, 113)


def test_haar_finds_exactly_one_face_on_astronaut(astronaut, face_cascade):
    boxes = classic.haar_detect(astronaut, face_cascade)
    assert boxes.shape == (1, 4) and boxes.dtype == np.int64
    x0, y0, x1, y1 = boxes[0]
    assert x0 < ASTRONAUT_FACE_CENTRE[0] < x1 and y0 < ASTRONAUT_FACE_CENTRE[1] < y1
    assert 70 <= x1 - x0 <= 120, "a face about 95 px wide"


def test_haar_box_contains_mtcnn_face_centre(astronaut, astronaut_face):
    from vision_core.pose import detect_faces

    faces = detect_faces(astronaut, get_model("mtcnn", "cpu"))
    assert len(faces) >= 1
    box = np.asarray(faces[0].box, dtype=np.float64)
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    x0, y0, x1, y1 = astronaut_face
    assert x0 <= cx <= x1 and y0 <= cy <= y1


def test_haar_eyes_are_inside_the_face(astronaut, eye_cascade, astronaut_face):
    face = astronaut_face
    eyes = classic.haar_detect(astronaut, eye_cascade, min_size=(20, 20))
    assert len(eyes) == 2
    for e in eyes:
        assert face[0] <= e[0] and e[2] <= face[2] and face[1] <= e[1] and e[3] <= face[3]


@pytest.mark.parametrize("kwargs", [{"scale_factor": 1.0}, {"min_neighbors": -1}, {"min_size": (0, 3)}])
def test_haar_rejects_bad_settings_with_a_sentence(astronaut, face_cascade, kwargs):
    with pytest.raises(BadInput, match=r"\w+ \w+"):
        classic.haar_detect(astronaut, face_cascade, **kwargs)


def test_unknown_cascade_lists_the_choices():
    with pytest.raises(BadInput, match="Unknown cascade 'dog'. Choose one of: frontalface_default, "):
        classic.open_cascade("dog")
    assert classic.cascade_path("eye").name == "haarcascade_eye.xml"


def test_haar_needs_a_loaded_classifier(astronaut):
    with pytest.raises(BadInput, match="cv2.CascadeClassifier"):
        classic.haar_detect(astronaut, "frontalface_default")  # type: ignore[arg-type]
    with pytest.raises(BadInput, match="empty"):
        classic.haar_detect(astronaut, cv2.CascadeClassifier())


def test_haar_max_side_searches_a_smaller_copy_and_maps_boxes_back(astronaut, face_cascade, astronaut_face):
    big = cv2.resize(astronaut, (1024, 1024), interpolation=cv2.INTER_LINEAR)
    boxes = classic.haar_detect(big, face_cascade, max_side=512)
    assert boxes.shape == (1, 4)
    np.testing.assert_allclose(boxes[0], astronaut_face * 2, atol=6)
    with pytest.raises(BadInput, match="max_side"):
        classic.haar_detect(big, face_cascade, max_side=10)


def test_a_serialized_classifier_gives_the_same_boxes_from_two_threads(astronaut, astronaut_face):
    """The app shares one classifier per process behind a lock (detectMultiScale writes into it)."""
    shared = Serialized(classic.open_cascade("frontalface_default"), threading.RLock())
    found: list[np.ndarray] = []
    threads = [threading.Thread(target=lambda: found.append(classic.haar_detect(astronaut, shared))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(found) == 4 and all(np.array_equal(b, astronaut_face[None]) for b in found)


def test_detect_timed_times_the_detection(astronaut, face_cascade, astronaut_face):
    det = classic.detect_timed(astronaut, face_cascade, scale_factor=1.1)
    assert np.array_equal(det.boxes, astronaut_face[None]) and 0 < det.seconds < 10


def test_detections_are_drawn_in_the_page_green_on_the_box_edge(astronaut, astronaut_face):
    x0, y0, x1, y1 = (int(v) for v in astronaut_face)
    boxed = draw_boxes(astronaut, astronaut_face[None], colours=(0, 255, 0))
    assert boxed.shape == astronaut.shape and boxed is not astronaut
    assert tuple(boxed[y0, (x0 + x1) // 2]) == (0, 255, 0), "top edge"
    assert tuple(boxed[(y0 + y1) // 2, x0]) == (0, 255, 0), "left edge"
    inside = np.s_[y0 + 10:y1 - 10, x0 + 10:x1 - 10]
    assert np.array_equal(boxed[inside], astronaut[inside]), "the face itself is not painted over"
    labelled = draw_boxes(astronaut, astronaut_face[None], ["face"], (0, 255, 0))
    assert (labelled != boxed).any(), "the label adds a tag"


def test_working_copy_shrinks_only_large_photos(astronaut):
    assert classic.working_copy(astronaut, 256).shape == (256, 256, 3)
    assert classic.working_copy(astronaut, 640).shape == (512, 512, 3)


@pytest.mark.parametrize("sample", ["astronaut", "camera", "china", "coffee"])
def test_grouped_raw_windows_are_opencvs_own_detections_for_every_min_neighbors(sample, face_cascade):
    """The page searches once (minNeighbors=0) and groups per slider value; OpenCV's detectMultiScale, called
    directly with each minNeighbors, must give the very same boxes."""
    from vision_core.io.images import to_gray
    from vision_core.io.samples import load_sample
    image = load_sample(sample)
    found = classic.haar_windows(image, face_cascade)
    assert found.shrink == 1.0 and (sample != "astronaut" or len(found.windows) > 10)
    gray = cv2.equalizeHist(to_gray(image))
    for n in range(0, 11):
        own = np.asarray(face_cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=n, minSize=(30, 30)),
                         dtype=np.int64).reshape(-1, 4)
        own[:, 2:] += own[:, :2]
        ours = classic.group_windows(found, n)
        assert sorted(map(tuple, ours.tolist())) == sorted(map(tuple, own.tolist())), n
    assert len(classic.group_windows(found, 0)) == len(found.windows)
    with pytest.raises(BadInput, match="HaarWindows"):
        classic.group_windows(found.windows, 3)  # type: ignore[arg-type]
