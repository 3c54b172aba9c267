"""AppTest for the GAN pages: the sampler draws real faces, kept faces come from links, training starts and stops."""

from __future__ import annotations

import time

from tests.app.util import errors, run_page


def test_sampler_defaults_and_kept_faces_from_a_link():
    at = run_page("gan_faces.py", query={"gan_keep": "42:0,42:3,7:1"})
    assert not at.exception, errors(at)
    assert at.session_state["gan_kept"] == [(42, 0), (42, 3), (7, 1)]
    assert at.number_input(key="gan_seed").value == 42
    assert len(at.get("image")) >= 3
    assert any(b.label.startswith("Download the walk") for b in at.get("download_button"))


def test_sampler_bad_link_and_seed_change():
    at = run_page("gan_faces.py", query={"gan_keep": "1;2"})
    assert not at.exception, errors(at)
    assert any("ignored" in w.value for w in at.warning)
    at.number_input(key="gan_seed").set_value(7).run()
    assert not at.exception
    at.slider(key="gan_n").set_value(4).run()
    assert at.get("button_group")[0].options == ["#0", "#1", "#2", "#3"]


def test_training_starts_and_stops():
    at = run_page("gan_train.py")
    assert not at.exception, errors(at)
    at.segmented_control(key="gan_mode").set_value("2-D toy").run()
    at.button(key="gan_start").click().run()
    assert not at.exception, errors(at)
    from ui import jobs  # noqa: F401 - the job lives in the AppTest session state

    deadline = time.monotonic() + 60
    job = at.session_state["_jobs"]["gan_train"]
    while job.snap.steps < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert job.snap.steps >= 3
    at.button(key="gan_stop").click().run()
    job.thread.join(30)
    assert job.snap.status == "stopped"
    assert at.session_state["gan_job_meta"]["toy"] is True
