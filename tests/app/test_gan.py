"""AppTest for the GAN pages: the sampler draws real faces, kept faces come from links, display-only changes draw
no new faces, training starts and stops, and the live view polls only while a run is going."""

from __future__ import annotations

import time

import pytest
import streamlit

from tests.app.util import errors, run_page
from vision_core.models.dcgan import DCGANGenerator


def test_sampler_defaults_and_kept_faces_from_a_link():
    at = run_page("gan_faces.py", query={"gan_keep": "42:0,42:3,7:1"})
    assert not at.exception, errors(at)
    assert at.session_state["gan_kept"] == [(42, 0), (42, 3), (7, 1)]
    assert at.number_input(key="gan_seed").value == 42
    assert len(at.get("image")) >= 3
    assert any(b.label.startswith("Download the walk") for b in at.get("download_button"))


def test_only_tabs_that_generate_faces():
    """The torch.hub PGAN tab, which downloaded a model and never used it, is gone: every tab draws faces."""
    at = run_page("gan_faces.py", query={"gan_keep": "42:0,42:3,7:1"})
    assert not at.exception, errors(at)
    assert [t.label for t in at.tabs] == ["Latent walk", "Latent arithmetic", "Principal directions"]
    assert not any("torch.hub" in m.value or "PGAN" in m.value for m in at.markdown)


def test_sampler_bad_link_and_seed_change():
    at = run_page("gan_faces.py", query={"gan_keep": "1;2"})
    assert not at.exception, errors(at)
    assert any("ignored" in w.value for w in at.warning)
    at.number_input(key="gan_seed").set_value(7).run()
    assert not at.exception
    at.slider(key="gan_n").set_value(4).run()
    assert at.get("button_group")[0].options == ["#0", "#1", "#2", "#3"]


def test_display_size_and_upscaling_draw_no_new_faces(monkeypatch):
    """Faces come from seeds and are kept per setting: only a new seed runs the generator again."""
    calls = []
    forward = DCGANGenerator.forward
    monkeypatch.setattr(DCGANGenerator, "forward", lambda self, z: calls.append(len(z)) or forward(self, z))
    at = run_page("gan_faces.py", query={"gan_seed": "90210", "gan_keep": "90210:0,90210:1"})
    assert not at.exception, errors(at)
    assert calls, "the grid and the kept faces were drawn"
    before = len(calls)
    at.select_slider(key="gan_size").set_value(256).run()
    at.radio(key="gan_resample").set_value("lanczos").run()
    at.select_slider(key="gan_size").set_value(64).run()
    assert not at.exception, errors(at)
    assert len(calls) == before
    at.number_input(key="gan_seed").set_value(90211).run()
    assert len(calls) == before + 1 and calls[-1] == 16, "one forward pass for the new grid of 16"


@pytest.fixture
def run_every(monkeypatch) -> list[float | None]:
    """The ``run_every`` of every fragment the page declares, in order."""
    seen: list[float | None] = []
    real = streamlit.fragment

    def fragment(func=None, *, run_every=None):
        seen.append(run_every)
        return real(func, run_every=run_every) if func is not None else real(run_every=run_every)

    monkeypatch.setattr(streamlit, "fragment", fragment)
    return seen


def test_training_starts_and_stops_and_polls_only_meanwhile(run_every):
    at = run_page("gan_train.py")
    assert not at.exception, errors(at)
    assert run_every and set(run_every) == {None}, "no run, no polling"
    at.segmented_control(key="gan_mode").set_value("2-D toy").run()
    at.button(key="gan_start").click().run()
    assert not at.exception, errors(at)
    assert run_every[-1] == 1.0, "the live view refreshes while the run goes"

    deadline = time.monotonic() + 60
    job = at.session_state["_jobs"]["gan_train"]
    while job.snap.steps < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert job.snap.steps >= 3
    at.button(key="gan_stop").click().run()
    job.thread.join(30)
    assert job.snap.status == "stopped"
    assert at.session_state["gan_job_meta"]["toy"] is True
    assert run_every[-1] is None, "stopped: the page polls nothing"
    assert "**stopped** · step" in " ".join(m.value for m in at.markdown)
