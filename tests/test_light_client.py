"""The light client (``tools/light_client.py``) against real servers on 127.0.0.1: a tiny app with every widget
kind it encodes, a fragment, a data editor and an ``st.rerun()``; then the real app's home and convolution pages."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.browser.conftest import free_port, running_server, wait_healthy
from tools.light_client import ClientError, LightClient

ROOT = Path(__file__).resolve().parent.parent

TINY = textwrap.dedent('''
    import pandas as pd
    import streamlit as st

    if "reran" not in st.session_state:
        st.session_state.reran = True
        st.rerun()                                   # the first run ends early: the client waits for the second
    n = st.number_input("Count", value=1, step=1, key="n", bind="query-params")
    x = st.number_input("Scale", value=0.5, step=0.25, key="x")
    s = st.slider("Level", 0, 10, 3, key="lvl")
    r = st.slider("Range", 0, 10, (2, 5), key="rng")
    ss = st.select_slider("Size", ["S", "M", "L"], value="M", key="size")
    pick = st.selectbox("Fruit", ["apple", "pear", "fig"], key="fruit", bind="query-params")
    many = st.multiselect("Colours", ["red", "green", "blue"], default=["red"], key="cols")
    seg = st.segmented_control("Mode", ["one", "two"], default="one", key="mode")
    on = st.checkbox("Loud", key="loud")
    tog = st.toggle("Dark", key="dark")
    txt = st.text_input("Name", "ada", key="name")
    radio = st.radio("Pet", ["cat", "dog"], key="pet")
    grid = st.data_editor(pd.DataFrame([["1", "2"], ["3", "4"]], columns=["a", "b"]), key="grid")
    clicked = st.button("Go", key="go")
    st.markdown(f"STATE n={n} x={x} s={s} r={list(r)} size={ss} fruit={pick} cols={many} mode={seg} "
                f"loud={on} dark={tog} name={txt} pet={radio} grid={grid.to_numpy().tolist()} clicked={clicked}")

    @st.fragment
    def frag():
        k = st.number_input("Inner", value=0, step=1, key="inner")
        st.markdown(f"FRAG inner={k} runs={st.session_state.setdefault('fr', 0)}")
        st.session_state.fr += 1

    frag()
    st.markdown(f"MAIN runs={st.session_state.setdefault('mr', 0)}")
    st.session_state.mr += 1
    if st.button("Boom", key="boom"):
        raise ValueError("boom on purpose")
''')


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny")
    (d / "app.py").write_text(TINY)
    port = free_port()
    log = open(d / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(d / "app.py"), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=d, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, timeout=60)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def arun(coro):
    """asyncio.run in a thread of its own: the browser tests' session-wide Playwright keeps an event loop running
    in this one."""
    out: dict = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the test's thread
            out["error"] = exc

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out.get("value")


def _state(c: LightClient) -> str:
    return next(t for t in c.screen_texts() if t.startswith("STATE"))


def test_open_with_query_then_every_widget_kind(tiny):
    async def go():
        async with LightClient(tiny) as c:
            run = await c.open("/?n=4&fruit=pear")
            assert run.status == "FINISHED_SUCCESSFULLY" and not run.exceptions
            assert "n=4 " in _state(c) and "fruit=pear" in _state(c)       # the link's query string seeded them
            assert c.session_id
            # What the frontend would report for widgets nobody touched: defaults, and the URL's values.
            assert (c.value("n"), c.value("fruit"), c.value("lvl"), c.value("rng"), c.value("size")) == \
                (4, "pear", [3.0], [2.0, 5.0], ["M"])
            assert (c.value("cols"), c.value("mode"), c.value("loud"), c.value("name"), c.value("pet")) == \
                (["red"], ["one"], False, "ada", "cat")
            assert c.value("go") is None and c.value("grid") is None        # reported only once used
            for key, value, expect in [
                ("n", 7, "n=7 "), ("x", 1.75, "x=1.75 "), ("lvl", 9, "s=9 "), ("rng", (1, 8), "r=[1, 8]"),
                ("size", "L", "size=L"), ("fruit", "fig", "fruit=fig"), ("cols", ["green", "blue"],
                                                                            "cols=['green', 'blue']"),
                ("mode", "two", "mode=two"), ("loud", True, "loud=True"), ("dark", True, "dark=True"),
                ("name", "grace", "name=grace"), ("pet", "dog", "pet=dog"),
            ]:
                run = await c.set(key, value)
                assert run.status == "FINISHED_SUCCESSFULLY", key
                assert expect in _state(c), (key, _state(c))
                assert run.elapsed > 0 and run.has_text("STATE")
            # Every earlier value is still sent (the frontend's widget manager keeps them all).
            assert "n=7 " in _state(c) and "pet=dog" in _state(c)
            assert "n=7" in c.query_string and "fruit=fig" in c.query_string  # bound widgets rewrite the URL
            run = await c.edit_cells("grid", {(1, "b"): "40"})
            assert "grid=[['1', '2'], ['3', '40']]" in _state(c)
            run = await c.edit_cells("grid", {(0, "a"): "10"})               # edits accumulate like the browser's
            assert "grid=[['10', '2'], ['3', '40']]" in _state(c)
            run = await c.click("go")
            assert "clicked=True" in _state(c)
            run = await c.rerun()                                             # a trigger is sent once
            assert "clicked=False" in _state(c)
            run = await c.click("boom")
            assert run.exceptions and "boom on purpose" in run.exceptions[0]

    arun(go())


def test_fragment_widget_reruns_only_the_fragment(tiny):
    async def go():
        async with LightClient(tiny) as c:
            await c.open("/")
            main_before = next(t for t in c.screen_texts() if t.startswith("MAIN"))
            run = await c.set("inner", 5)
            assert run.fragment and run.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"
            assert any(t.startswith("FRAG inner=5") for t in run.texts)
            assert not run.has_text("MAIN runs")                       # the main script did not run
            assert next(t for t in c.screen_texts() if t.startswith("MAIN")) == main_before
            assert c.widget("inner").fragment_id and not c.widget("n").fragment_id

    arun(go())


def test_students_are_separate_sessions(tiny):
    async def go():
        async with LightClient(tiny) as a, LightClient(tiny) as b:
            await a.open("/")
            await b.open("/")
            await a.set("name", "alan")
            await b.rerun()
            assert "name=alan" in _state(a) and "name=ada" in _state(b)
            assert a.session_id != b.session_id
            with pytest.raises(KeyError):
                a.widget("no such widget")

    arun(go())


def test_a_closed_server_fails_the_run_instead_of_hanging(tmp_path):
    (tmp_path / "app.py").write_text("import streamlit as st, time\nst.write('hi')\ntime.sleep(30)\n")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(tmp_path / "app.py"), "--server.port",
                             str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, timeout=60)

        async def go():
            c = LightClient(url, timeout=20)
            task = asyncio.create_task(c.open("/"))
            await asyncio.sleep(2)
            proc.kill()
            with pytest.raises(ClientError, match="connection lost"):
                await task
            await c.close()

        arun(go())
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_real_app_home_and_convolution_page():
    with running_server() as (url, _):
        async def go():
            async with LightClient(url, timeout=120) as c:
                run = await c.open("/")
                assert run.status == "FINISHED_SUCCESSFULLY" and not run.exceptions
                assert run.has_text("Deep Vision Lab") and run.has_text("Convolution playground")
                assert "convolution" in c.pages
            async with LightClient(url, timeout=120) as c:
                run = await c.open("/convolution?conv_stride=2")
                assert not run.exceptions and run.has_text("OUTPUT: 226×150")     # Chelsea 451×300, stride 2
                assert run.media                                                 # the output image was fetched
                run = await c.set("conv_stride", 3)
                assert run.has_text("OUTPUT: 151×100") and "conv_stride=3" in c.query_string
                editor = next(k for k in c.keys() if k and k.startswith("conv_editor"))
                run = await c.edit_cells(editor, {(1, "2"): "4"})                 # centre 8 → 4: a new kernel
                assert not run.exceptions and run.has_text("Output values")
                run = await c.rerun()                                            # a full rerun keeps the page
                assert run.has_text("OUTPUT: 151×100") and run.has_text("Convolution playground")
                run = await c.navigate("")                                       # sidebar link to the home page
                assert run.has_text("The course, page by page")

        arun(go())
