"""AppTest for classroom mode: a student joins with a code, scores a challenge on its page and submits; the teacher's
table shows the best score; wrong keys, forged codes and markup in names get sentences and change nothing; without a
database the challenge panel still scores."""

from __future__ import annotations

import pytest

import ui.classroom
from tests.app.util import errors, run_page
from vision_core.classroom import open_store


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'classroom.db'}"
    monkeypatch.setenv("DVL_DATABASE_URL", url)
    ui.classroom._status.clear()
    yield open_store(url)
    ui.classroom._status.clear()


def _join(database, name: str):
    new = database.create_class("Vision 101")
    at = run_page("classroom.py", query={"join": new.join_code})
    assert not at.exception, errors(at)
    inputs = {t.label: t for t in at.text_input}
    inputs["Your display name"].input(name)
    next(b for b in at.button if b.label == "Join the class").click().run()
    assert not at.exception, errors(at)
    at.run()  # the rerun that follows joining (AppTest does not follow st.rerun by itself)
    return new, at


def _texts(at) -> str:
    return " ".join(t.value for t in at.text)


def test_join_submit_and_the_teachers_table(database):
    new, at = _join(database, "Ana <b>B</b>")
    assert "Ana <b>B</b> · Vision 101" in _texts(at), "the name is shown as text, markup and all"
    assert not any("<b>" in m.value for m in at.markdown)
    token = at.session_state["me"] or at.session_state["_me_pending"]
    assert database.student(token).display_name == "Ana <b>B</b>"
    # a challenge page with the student's key in the link: score 1.0 for padding 2, then Submit
    at = run_page("output_size.py", query={"challenge": "size-keep-28", "me": token, "os_w": "28", "os_h": "28",
                                            "os_f": "5", "os_s": "1", "os_p": "2"})
    assert not at.exception, errors(at)
    progress = [p.proto.text for p in at.get("progress")]
    assert any(s.startswith("Score 100 %") for s in progress), progress
    next(b for b in at.button if b.label.startswith("Submit 100")).click().run()
    assert not at.exception, errors(at)
    assert any("saved" in s.value.lower() for s in at.success), ([s.value for s in at.success], [e.value for e in at.error], [i.value for i in at.info], [c.value for c in at.caption])
    table = database.table(new.class_id, new.teacher_key)
    best = table.rows[0].best["size-keep-28"]
    assert best.score == 1.0 and best.link.startswith("?") and "me=" not in best.link and "os_p=2" in best.link
    # the teacher opens the table with the key typed (never in the link)
    at = run_page("classroom.py", query={"cls_tclass": str(new.class_id)})
    at.text_input(key="_cls_tkey").input(new.teacher_key).run()
    assert not at.exception, errors(at)
    assert new.teacher_key not in str(dict(at.query_params))
    tables = [tb.value for tb in at.table]
    assert tables and tables[0].iloc[0]["student"] == "Ana <b>B</b>"
    assert tables[0].iloc[0]["Keep 28×28 through a 5×5 filter"] == "100 %"


def test_wrong_key_and_forged_code_are_sentences(database):
    new = database.create_class("Vision 101")
    at = run_page("classroom.py", query={"cls_tclass": str(new.class_id)})
    at.text_input(key="_cls_tkey").input("not-the-key-" * 3).run()
    assert not at.exception, errors(at)
    assert any("key" in e.value.lower() for e in at.error) and not at.table
    at = run_page("classroom.py", query={"join": "ZZZZZZZZ"})
    inputs = {t.label: t for t in at.text_input}
    inputs["Your display name"].input("Bo")
    next(b for b in at.button if b.label == "Join the class").click().run()
    assert not at.exception, errors(at)
    assert any("Could not join" in e.value for e in at.error)
    assert database.table(new.class_id, new.teacher_key).rows == ()


def test_without_a_database_the_panel_still_scores(monkeypatch):
    monkeypatch.setenv("DVL_DATABASE_URL", "off")
    ui.classroom._status.clear()
    try:
        at = run_page("output_size.py", query={"challenge": "size-keep-28", "os_w": "28", "os_h": "28", "os_f": "5",
                                                "os_s": "1", "os_p": "0"})
        assert not at.exception, errors(at)
        assert any(p.proto.text.startswith("Score 86 %") for p in at.get("progress"))
        assert any("not saved on this server" in c.value for c in at.caption)
        at = run_page("output_size.py", query={"challenge": "no-such-challenge"})
        assert not at.exception and any("There is no challenge" in w.value for w in at.warning)
    finally:
        ui.classroom._status.clear()


@pytest.mark.parametrize("cid", __import__("vision_core.challenges", fromlist=["x"]).challenge_ids())
def test_every_challenge_link_opens_its_page_with_the_task(cid, hub):
    from vision_core.challenges import challenge

    c = challenge(cid)
    at = run_page(f"{c.page}.py", query={"challenge": c.id, **c.start})
    assert not at.exception, errors(at)
    assert any(f"Challenge · {c.title}" in m.value for m in at.markdown), cid
    assert any(c.task == m.value for m in at.markdown), cid
