"""AppTest for the history page: the default event with its page link, another one from a link, the ILSVRC table."""

from __future__ import annotations

from tests.app.util import errors, run_page


def _links(at) -> list[str]:
    return [e.proto.label for e in at.get("page_link")]


def test_history_opens_on_alexnet_with_its_page_and_the_ilsvrc_table():
    at = run_page("history.py")
    assert not at.exception, errors(at)
    assert at.selectbox(key="history_event").value == "alexnet"
    assert any(s.value == "2012 · AlexNet wins ImageNet" for s in at.subheader)
    assert any(label.startswith("Try it: Architecture explorer") for label in _links(at))
    table = next(d.value for d in at.dataframe if "top-5 error (%)" in d.value.columns)
    assert len(table) == 9 and list(table["top-5 error (%)"])[:3] == [28.2, 25.8, 16.4]
    assert "9.4 points" in " ".join(m.value for m in at.markdown)


def test_an_event_from_the_link_and_from_the_box():
    at = run_page("history.py", query={"history_event": "viola_jones"})
    assert not at.exception, errors(at)
    assert any(s.value == "2001 · Viola–Jones face detection" for s in at.subheader)
    assert any(label.startswith("Try it: Before deep learning") for label in _links(at))
    at.selectbox(key="history_event").set_value("gan").run()
    assert not at.exception, errors(at)
    assert at.query_params["history_event"] == ["gan"] or at.query_params["history_event"] == "gan"
    assert any("Esses rostos não existem" in m.value for m in at.markdown)
    assert any(label.startswith("Try it: GAN face sampler") for label in _links(at))
