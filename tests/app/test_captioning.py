"""AppTest for "Image captioning": a tiny training run from the page, held-out scores, word-by-word decoding that
is computed once, and the real captioner's plain offline message."""

from __future__ import annotations

from tests.app.util import errors, metric, run_page, train
from ui import results

JOB = "cap_train"


def _image_captions(at) -> list[str]:
    return [img.caption for el in at.get("image") for img in el.proto.imgs]


def _train(at):
    return train(at, "cap_start", JOB, timeout=240).snap.latest


def test_captioning_trains_decodes_and_computes_once():
    at = run_page("captioning.py", query={"cap_n": "300", "cap_steps": "30"})
    assert not at.exception, errors(at)
    assert any("This is a toy" in m.value for m in at.markdown)
    assert any("Train the decoder first" in i.value for i in at.info)
    assert len(_image_captions(at)) >= 8, "the training scenes are shown with their captions"
    last = _train(at)
    assert last.step == 30 and last.config.train_scenes == 300
    assert metric(at, "Step") == "30 / 30"
    assert metric(at, "Held-out word accuracy").endswith("%")
    assert any("Baseline: always say" in c.value for c in at.caption)
    said = next(m.value for m in at.markdown if m.value.startswith("### “"))
    assert said.count(" ") >= 2
    assert any("The template's caption" in c.value for c in at.caption)
    assert at.get("plotly_chart"), "curves and the word probabilities are drawn"

    before = results.computations()
    at.select_slider(key=next(s.key for s in at.select_slider if s.key.startswith("cap_word_"))).set_value(1).run()
    assert not at.exception, errors(at)
    assert results.computations() == before, "choosing the word to show re-decodes nothing"
    assert any("Where it looked before saying" in c for c in _image_captions(at))

    at.segmented_control(key="cap_method").set_value("beam search").run()
    at.slider(key="cap_width").set_value(1).run()
    assert not at.exception, errors(at)
    assert next(m.value for m in at.markdown if m.value.startswith("### “")) == said, "beam width 1 says what greedy says"

    at.segmented_control(key="cap_src").set_value("Compose your own").run()
    assert not at.exception, errors(at)
    assert any("a small 3 above a large 7" in c.value for c in at.caption)


def test_real_captioner_offline_shows_what_is_missing_and_no_caption():
    at = run_page("captioning.py")
    assert not at.exception, errors(at)
    text = " ".join(i.value for i in at.info)
    assert "BLIP base captioner" in text and "is not on this machine yet" in text
    assert "991 MB" in text or "transformers" in text
    assert not any(m.value.startswith("### “") for m in at.markdown), "no caption is made up"
