"""AppTest: the style transfer page's three tabs with real models on the chelsea sample."""

from __future__ import annotations

from tests.app.util import errors, run_page


def test_gatys_runs_in_background_and_shows_result():
    at = run_page("style_transfer.py", query={"nst_size": "64", "nst_steps": "10", "nst_every": "5"})
    assert not at.exception, errors(at)
    assert at.selectbox(key="nst_style").value == "hubble_deep_field"
    assert at.select_slider(key="nst_ratio").value == "1e-5"
    at.button(key="nst_start").click().run()
    assert not at.exception, errors(at)
    job = at.session_state["_jobs"]["nst_gatys"]
    job.thread.join(120)
    snap = job.snap
    assert snap.status == "done", snap.error
    history = snap.history
    assert [h.step for h in history] == list(range(11))
    assert history[-1].image.shape == (43, 64, 3)
    assert history[-1].losses.total < history[0].losses.total
    at.run()
    assert not at.exception, errors(at)
    assert at.get("download_button"), "the final image is downloadable"
    text = " ".join(c.value for c in at.caption)
    assert "Status: **done** · iteration 10 of 10" in text
    assert "block1_conv1: 64 channels" in text


def test_bad_settings_are_explained_not_raised():
    at = run_page("style_transfer.py", query={f"nst_l{b}": "0" for b in range(1, 6)})
    at.button(key="nst_start").click().run()
    assert not at.exception, errors(at)
    assert any("λ above zero" in e.value for e in at.error)


def test_fast_tab_blends_styles():
    at = run_page("style_transfer.py", query={"nst_tab": "Fast"})
    assert not at.exception, errors(at)
    assert at.selectbox(key="nst_fs1").value == "3"
    metric = [m for m in at.metric if m.label == "Time per image"]
    assert metric and metric[0].value.endswith("ms")
    at.selectbox(key="nst_fs2").set_value("12").run()
    assert not at.exception, errors(at)
    assert any("0.67·style 3 + 0.33·style 12" in c for c in _captions(at))
    at.slider(key="nst_fw1").set_value(0.0).run()
    at.selectbox(key="nst_fs2").set_value("none").run()
    assert not at.exception, errors(at)
    assert any("at least one style" in i.value for i in at.info)


def _captions(at) -> list[str]:
    """Captions of every st.image on the page."""
    out = []
    for el in at.get("image"):
        for img in el.proto.imgs:
            out.append(img.caption)
    return out


def test_arbitrary_tab_with_strength():
    at = run_page("style_transfer.py", query={"nst_tab": "Arbitrary", "nst_style": "brick", "nst_strength": "0.5"})
    assert not at.exception, errors(at)
    assert any(c.startswith("G, strength 0.50") for c in _captions(at))
    assert [m for m in at.metric if m.label.startswith("Time per image")]


def test_fast_and_arbitrary_paint_once_per_setting(monkeypatch):
    """A rerun, a weight change that leaves the normalised mix as it was, or a tab switch paints nothing again."""
    from onnxruntime import InferenceSession

    from ui import results

    runs = []
    real = InferenceSession.run
    monkeypatch.setattr(InferenceSession, "run", lambda self, *a, **k: runs.append(1) or real(self, *a, **k))
    results._shared().clear()
    at = run_page("style_transfer.py", query={"nst_tab": "Fast", "sample": "coffee"})
    assert not at.exception, errors(at)
    painted = len(runs)
    assert painted >= 1
    at.run()
    at.slider(key="nst_fw1").set_value(0.5).run()
    assert not at.exception, errors(at)
    assert any("1.00·style 3" in c for c in _captions(at))
    assert len(runs) == painted, "style 3 alone at weight 0.5 is still the one-hot mix"
    at.selectbox(key="nst_fs2").set_value("12").run()
    assert len(runs) == painted + 1, "a new mix is one network run"
    at = run_page("style_transfer.py", query={"nst_tab": "Arbitrary", "sample": "coffee", "nst_style": "brick"})
    assert not at.exception, errors(at)
    before = len(runs)
    at.run()
    at.run()
    assert len(runs) == before, "the same photo, style and strength are painted once"
    at.slider(key="nst_strength").set_value(0.5).run()
    assert len(runs) == before + 3, "a new strength: two style vectors and one transform"
