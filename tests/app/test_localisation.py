"""AppTest for "Classification + localisation": a real (tiny) training from the page, both losses and the held-out
scores on screen, and display-only changes (other canvases, going back to them, the λ slider after training) that
retrain nothing and recompute only the new canvases."""

from __future__ import annotations

from tests.app.util import captions, computed, errors, metrics, run_page, train

JOB = "loc_train"


def test_trains_shows_both_losses_and_predictions():
    at = run_page("localisation.py", query={"loc_steps": "100"})
    assert not at.exception, errors(at)
    assert any("Train the network first" in i.value for i in at.info)
    assert at.get("image"), "the example canvases are drawn before any training"
    job = train(at, "loc_start", JOB, watch=True)
    shown = metrics(at)
    assert shown["Step"] == "100 / 100"
    iou = float(shown["Mean IoU"])
    assert 0.35 < iou <= 1, shown  # untrained: 0.31
    assert float(shown["Class accuracy (500 held-out)"].rstrip("%")) >= 10
    assert any(c.startswith("Green: the true box") and "IoU" in c for c in captions(at))
    assert at.get("plotly_chart"), "loss curves and the IoU histogram"
    record = job.snap.latest
    assert abs(record.total_loss - (record.class_loss + 10.0 * record.box_loss)) < 1e-5, "Loss = CE + λ · L2"

    started, done = job.snap.started, computed(at)
    at.number_input(key="loc_canvas_seed").set_value(2).run()
    assert computed(at) == done + 1, "new canvases: predicted once"
    at.number_input(key="loc_canvas_seed").set_value(1).run()
    at.select_slider(key="loc_lambda").set_value(20.0).run()
    assert computed(at) == done + 1, "back to seen canvases, or a setting for the next run: nothing"
    assert at.session_state["_jobs"][JOB] is job and job.snap.started == started, "nothing retrained"
    assert not at.exception, errors(at)
