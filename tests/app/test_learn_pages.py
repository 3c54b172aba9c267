"""AppTest for "Transfer learning" and "Train a CNN": real features, real training, real numbers on screen."""

from __future__ import annotations

from tests.app.util import errors, run_page, train


def _metric(at, start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(start))


def test_transfer_learning_compares_feature_spaces_and_trains_own_head():
    at = run_page("transfer_learning.py", query={"tl_data": "faces", "tl_layer": "block3_pool", "tl_size": "32"})
    assert not at.exception, errors(at)
    hand = float(_metric(at, "Accuracy, hand-made").rstrip("%"))
    cnn = float(_metric(at, "Accuracy, CNN").rstrip("%"))
    assert hand > 80 and cnn > 80, (hand, cnn)
    assert _metric(at, "Chance") == "50%"
    at.checkbox(key="tl_demo").check().run()
    at.button(key="tl_train").click().run()
    assert not at.exception, errors(at)
    success = " ".join(s.value for s in at.success)
    assert "cross-validated accuracy" in success and "cat, coffee, rocket" in success
    head = at.session_state["_tl_head"]
    assert head.cv_accuracy >= 0.8
    # the tray photo is Chelsea the cat: the head trained on cat/coffee/rocket crops must say cat
    assert any("Looks like **cat**" in m.value for m in at.markdown)


def test_transfer_learning_rejects_too_few_photos():
    at = run_page("transfer_learning.py", query={"tl_layer": "block2_pool", "tl_size": "32"})
    at.button(key="tl_train").click().run()
    assert not at.exception, errors(at)
    assert any("at least 2 photos" in e.value for e in at.error)


def test_train_cnn_trains_and_reads_a_test_digit():
    at = run_page("train_cnn.py", query={"tc_epochs": "2", "tc_input": "MNIST test digit"})
    assert not at.exception, errors(at)
    assert any("Train the network first" in i.value for i in at.info)
    train(at, "tc_start", "tc_lenet", timeout=120)
    acc = float(_metric(at, "Test accuracy").rstrip("%"))
    assert acc > 85, acc
    truth = next(c.value for c in at.caption if c.value.startswith("True label"))
    said = next(m.value for m in at.markdown if "It says" in m.value)
    assert truth.split("**")[1] == said.split("**")[1], (truth, said)
    assert at.get("plotly_chart"), "curves and probability bars are drawn"


def test_x_or_x_shift_keeps_filters_firing():
    at = run_page("train_cnn.py", query={"tc_xdx": "1"})
    assert not at.exception, errors(at)
    assert _metric(at, "Pixel match") == "68%"
    filters = ("diagonal", "crossing")
    assert [m.value for m in at.metric if m.label.startswith(filters)] == ["1.00"] * 3
    at.slider(key="tc_xrot").set_value(45).run()
    assert [m.value for m in at.metric if m.label.startswith(filters)] == ["0.33", "0.11", "0.33"]
    assert _metric(at, "Pixel match") == "72%"  # 58 of 81 pixels


def _scatter_title(at) -> str | None:
    import json

    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    titles = [c["layout"].get("title", {}).get("text", "") for c in charts]
    return next((t for t in titles if "features" in t), None)


def test_tsne_runs_once_through_the_queue_and_is_shared():
    from ui import jobs
    from tests.app.util import settle

    query = {"tl_data": "faces", "tl_layer": "block3_pool", "tl_size": "32", "tl_space": "hand-made", "tl_proj": "t-SNE"}
    at = run_page("transfer_learning.py", query=query)
    assert not at.exception, errors(at)
    assert _scatter_title(at) is None, "t-SNE is not drawn before its job has run"
    assert any(p.proto.text.startswith("t-SNE") for p in at.get("progress")) or any("t-SNE" in i.value for i in at.info)
    settle(at)
    assert not at.exception, errors(at)
    assert _scatter_title(at) == "t-SNE of the hand-made features"
    # a second student on the same dataset reads the map: no job, no waiting
    other = run_page("transfer_learning.py", query=query)
    assert jobs.QUEUE.counts() == (0, 0) and _scatter_title(other) == "t-SNE of the hand-made features"
    # PCA never queues
    other.segmented_control(key="tl_proj").set_value("PCA").run()
    assert jobs.QUEUE.counts() == (0, 0) and _scatter_title(other) == "PCA of the hand-made features"
