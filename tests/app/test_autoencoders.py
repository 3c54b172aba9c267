"""AppTest for "Autoencoders": a real (tiny) training from the page, progress and results on screen, and display-only
changes (which digits are shown, the clicked latent point, going back to a noise level) that retrain and recompute
nothing."""

from __future__ import annotations

from tests.app.util import captions, computed, errors, metrics, run_page, train
from ui.autoencoder_views import clicked_point

JOB = "ae_train"


def test_trains_shows_results_and_display_changes_recompute_nothing():
    at = run_page("autoencoders.py", query={"ae_steps": "100"})
    assert not at.exception, errors(at)
    assert any("Train the networks first" in i.value for i in at.info)
    job = train(at, "ae_start", JOB, watch=True)
    shown = metrics(at)
    assert shown["Step"] == "100 / 100"
    mse = float(shown["Held-out MSE, transposed"])
    assert 0 < mse < float(shown["MSE of the mean digit"]) + 0.02, shown
    assert any(c.value.startswith("Using the weights of step 100") for c in at.caption)
    assert any("5-nearest-neighbour" in c.value for c in at.caption)
    assert float(shown["PSNR of the denoised output"].split()[0]) > float(shown["PSNR of the noisy input"].split()[0])
    started, done = job.snap.started, computed(at)
    assert done >= 5, "reconstructions, latent map, manifold, denoised, PSNR curve, checkerboard"

    at.number_input(key="ae_first").set_value(20).run()  # which digits are shown
    at.number_input(key="ae_z1").set_value(0.5).run()  # the decoded latent point (what a click sets)
    at.number_input(key="ae_z2").set_value(-0.25).run()
    assert not at.exception, errors(at)
    assert computed(at) == done, "showing other digits or decoding another point recomputes nothing cached"
    assert any("(0.50, -0.25) decoded" in c for c in captions(at))
    at.slider(key="ae_sigma").set_value(0.7).run()
    assert computed(at) == done + 1, "a new noise level denoises once, nothing else"
    at.slider(key="ae_sigma").set_value(0.4).run()
    assert computed(at) == done + 1, "back to a level seen before: nothing"
    assert at.session_state["_jobs"][JOB] is job and job.snap.started == started, "nothing retrained"
    assert not at.exception, errors(at)


def test_a_plotly_click_is_read_as_a_point():
    event = {"selection": {"points": [{"x": 1.25, "y": -2.0, "curve_number": 0, "point_index": 7}], "point_indices": [7]}}
    assert clicked_point(event) == (1.25, -2.0)
    assert clicked_point({"selection": {"points": []}}) is None
    assert clicked_point(None) is None
