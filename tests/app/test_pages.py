"""AppTest: every page in the navigation runs with default inputs and raises nothing."""

from __future__ import annotations

import pytest
from tests.app.util import errors, run_page
from ui.catalog import PAGES

_run = run_page


@pytest.mark.parametrize("script", [p.script for p in PAGES])
def test_page_runs_clean(script):
    at = _run(script)
    assert not at.exception, errors(at)
    assert at.title, "every page has a title"


def test_home_lists_every_section_and_the_machine():
    at = _run("home.py")
    text = " ".join(m.value for m in at.markdown)
    for section in ("Images", "Convolution", "CNN architectures", "What networks see", "Beyond classification", "Generative", "Classic CV"):
        assert section in text
    labels = [m.label for m in at.metric]
    assert "Compute device" in labels and "Embedded files present" in labels


def test_tray_defaults_to_chelsea():
    at = run_page("home.py")
    assert at.sidebar.selectbox(key="sample").value == "chelsea"
    assert at.session_state["_tray_current"].key == "sample:chelsea"


def test_tray_persists_across_pages():
    at = run_page("home.py")
    at.switch_page("pages/digital_images.py").run()
    assert at.session_state["_tray_current"].key == "sample:chelsea"


def test_malformed_query_params_are_ignored():
    at = run_page("home.py", query={"sample": "<script>alert(1)</script>", "src": "Nonsense"})
    assert not at.exception, errors(at)
    assert at.session_state["_tray_current"].key == "sample:chelsea"
