"""ClassroomStore on SQLite and PostgreSQL: the happy path, refusals that change nothing, limits, close, reset, CSV."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
import sqlalchemy as sa

from vision_core.classroom import ClassClosed, NotAllowed, RateLimit, RateLimited, StoreUnavailable, open_store
from vision_core.classroom.schema import classes, students, submissions
from vision_core.errors import BadInput, VisionCoreError


def nonce() -> str:
    return uuid.uuid4().hex


def link(challenge: str, **params) -> str:
    return "?challenge=" + challenge + "".join(f"&{k}={v}" for k, v in params.items())


def counts(store) -> tuple[int, int, int]:
    with store.engine.connect() as c:
        return tuple(c.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in (classes, students, submissions))


def snapshot(store, cls) -> tuple:
    """Everything a teacher can see of a class, for before/after comparisons."""
    t = store.table(cls.class_id, cls.teacher_key)
    return t, store.attempts(cls.class_id, cls.teacher_key), counts(store)


def test_create_join_submit_table_exact_best_scores(store):
    cls = store.create_class("  Vision   101 ")
    cid, code, key = cls  # unpacks like a tuple
    assert len(code) == 8 and len(key) >= 32 and code.isupper()
    ana = store.join(code, "Ana")
    bo = store.join(code.lower()[:4] + "-" + code[4:].lower(), "Bo")  # typed loosely: still the class
    cy = store.join(code, "Cy")  # joins, never submits
    assert len({ana, bo, cy}) == 3

    store.submit(ana, "conv_vertical", 0.25, link("conv_vertical", k="a"), nonce())
    store.submit(ana, "conv_vertical", 0.875, link("conv_vertical", k="b"), nonce())
    store.submit(ana, "conv_vertical", 0.5, link("conv_vertical", k="c"), nonce())
    store.submit(ana, "stride_keep28", 1.0, link("stride_keep28", p=2), nonce())
    store.submit(bo, "conv_vertical", 0.125, link("conv_vertical", k="d"), nonce())
    store.submit(bo, "conv_vertical", 0.125, link("conv_vertical", k="e"), nonce())  # tie: the earlier one is best

    t = store.table(cid, key, challenges=["stride_keep28", "arch_budget"])
    assert t.name == "Vision 101" and t.join_code == code and not t.closed
    assert t.challenges == ("stride_keep28", "arch_budget", "conv_vertical")
    assert [r.display_name for r in t.rows] == ["Ana", "Bo", "Cy"]
    ana_row, bo_row, cy_row = t.rows
    assert ana_row.best["conv_vertical"].score == 0.875
    assert ana_row.best["conv_vertical"].link == "?challenge=conv_vertical&k=b"
    assert ana_row.best["conv_vertical"].attempts == 3
    assert ana_row.best["stride_keep28"].score == 1.0
    assert "arch_budget" not in ana_row.best
    assert bo_row.best["conv_vertical"].link == "?challenge=conv_vertical&k=d"
    assert bo_row.best["conv_vertical"].attempts == 2
    assert dict(cy_row.best) == {}
    assert t.score("Ana", "conv_vertical") == 0.875 and t.score("Cy", "conv_vertical") is None

    att = store.attempts(cid, key)
    assert len(att) == 6 and att[0].link == "?challenge=conv_vertical&k=e"  # newest first
    assert [a.score for a in store.attempts(cid, key, student_id=ana_row.student_id,
                                             challenge_id="conv_vertical")] == [0.5, 0.875, 0.25]
    me = store.student(ana)
    assert (me.display_name, me.class_name, me.class_id, me.class_closed) == ("Ana", "Vision 101", cid, False)
    assert [a.score for a in store.my_attempts(ana, "stride_keep28")] == [1.0]
    assert len(store.my_attempts(bo)) == 2


def test_restart_keeps_every_class(db_url, clock):
    first = open_store(db_url, clock=clock)
    made = []
    for i in range(5):
        cls = first.create_class(f"Class {i}")
        tok = first.join(cls.join_code, f"Student {i}")
        first.submit(tok, "conv_blur", i / 10, link("conv_blur", i=i), nonce())
        made.append((cls, tok))
    before = [first.table(c.class_id, c.teacher_key) for c, _ in made]
    first.dispose()
    del first

    again = open_store(db_url, clock=clock)  # a new engine and store on the same URL: an app restart
    after = [again.table(c.class_id, c.teacher_key) for c, _ in made]
    assert after == before
    for (cls, tok), t in zip(made, after):
        assert again.student(tok).class_id == cls.class_id  # the student link still works
        assert len(t.rows) == 1
    again.dispose()


def test_wrong_key_and_other_class_key_see_nothing(store):
    a = store.create_class("A")
    b = store.create_class("B")
    tok = store.join(a.join_code, "Ana")
    store.submit(tok, "conv_blur", 0.5, link("conv_blur"), nonce())
    before = snapshot(store, a)
    for cid, key in [(a.class_id, b.teacher_key), (a.class_id, "x" * 32), (a.class_id, ""), (a.class_id, None),
                     (b.class_id + 1000, a.teacher_key), ("1", a.teacher_key), (a.class_id, a.teacher_key + "x")]:
        for call in (store.table, store.attempts, store.csv, store.attempts_csv, store.close, store.reset):
            with pytest.raises(NotAllowed, match="teacher key does not open"):
                call(cid, key)
    assert snapshot(store, a) == before
    assert store.table(b.class_id, b.teacher_key).rows == ()  # B's table never shows A's students


def test_forged_join_code_and_token(store):
    cls = store.create_class("A")
    tok = store.join(cls.join_code, "Ana")
    store.submit(tok, "conv_blur", 0.5, link("conv_blur"), nonce())
    before = snapshot(store, cls)
    forged = "ABCDEFGH" if cls.join_code != "ABCDEFGH" else "HGFEDCBA"
    with pytest.raises(NotAllowed, match=r"No class has the code ABCD-EFGH|No class has the code HGFE-DCBA"):
        store.join(forged, "Mallory")
    for bad in ("ABC", "IIIIIIII", "' OR 1=1 --", "A" * 10_000, 12345678, None):
        with pytest.raises(NotAllowed, match="class code"):
            store.join(bad, "Mallory")
    for bad_token in (tok[:-1] + ("A" if tok[-1] != "A" else "B"), "", "x" * 10_000, None, 7):
        with pytest.raises(NotAllowed, match="student link is not known"):
            store.submit(bad_token, "conv_blur", 1.0, link("conv_blur"), nonce())
        with pytest.raises(NotAllowed):
            store.student(bad_token)
    assert snapshot(store, cls) == before


SQLISH = ["Robert'); DROP TABLE students;--", "x' OR '1'='1", "\"; DELETE FROM classes; --", "%_\\", "<b>Bo</b>",
          "<script>alert(1)</script>", "Zoë 🦊", "  ana   maría  "]


def test_sql_looking_and_markup_names_are_just_names(store):
    cls = store.create_class("Robert'); DROP TABLE classes;--")
    tokens = [store.join(cls.join_code, n) for n in SQLISH]
    for tok in tokens:
        store.submit(tok, "conv_blur", 0.5, link("conv_blur"), nonce())
    t = store.table(cls.class_id, cls.teacher_key)
    assert t.name == "Robert'); DROP TABLE classes;--"
    assert [r.display_name for r in t.rows] == SQLISH[:-1] + ["ana maría"]
    assert [store.student(tok).display_name for tok in tokens] == [r.display_name for r in t.rows]
    assert counts(store) == (1, len(SQLISH), len(SQLISH))  # every table still there, nothing deleted
    other = store.create_class("Other")
    assert store.table(other.class_id, other.teacher_key).rows == ()


def test_bad_names_refused_with_a_sentence_and_nothing_changes(store):
    cls = store.create_class("A")
    store.join(cls.join_code, "Ana")
    before = snapshot(store, cls)
    cases = {"x" * 10_240: "10240 characters long; it may have at most 40",
             "y" * 41: "41 characters long",
             "   ": "empty",
             "": "empty",
             "Ana\nBo": "one line",
             "Ana\x00": "control character",
             "Ana\x1b[31m": "control character",
             "abc\u202egnp.exe": "control character",
             b"Ana": "must be text",
             None: "must be text"}
    for name, msg in cases.items():
        with pytest.raises(BadInput, match=msg) as e:
            store.join(cls.join_code, name)
        assert len(str(e.value)) < 200  # a 10 kB name is never echoed back
        with pytest.raises(BadInput, match=msg.replace("display", "class")):
            store.create_class(name)
    with pytest.raises(BadInput, match="already uses the name 'ANA'"):
        store.join(cls.join_code, "ANA")  # case-insensitively taken
    assert snapshot(store, cls) == before
    assert store.join(cls.join_code, "y" * 40)  # exactly 40 is fine


def test_replayed_submit_changes_nothing_and_says_so(store, clock):
    cls = store.create_class("A")
    tok = store.join(cls.join_code, "Ana")
    n = nonce()
    first = store.submit(tok, "conv_blur", 0.5, link("conv_blur", a=1), n)
    assert not first.replayed
    before = snapshot(store, cls)
    clock.advance(5)
    again = store.submit(tok, "conv_blur", 0.99, link("conv_blur", a=2), n)  # same nonce, other content
    assert again.replayed and again.submission_id == first.submission_id and again.at == first.at
    assert "already saved" in again.message and "nothing changed" in again.message
    assert snapshot(store, cls) == before
    other = store.join(cls.join_code, "Bo")  # the nonce is per student: another student's is independent
    assert not store.submit(other, "conv_blur", 0.1, link("conv_blur"), n).replayed
    for bad in ("short", "has space in it", "x" * 65, None, 12345678):
        with pytest.raises(BadInput, match="nonce"):
            store.submit(tok, "conv_blur", 0.5, link("conv_blur"), bad)


def test_rate_limit_per_student_and_per_session(db_url, clock):
    store = open_store(db_url, clock=clock, rate_limit=RateLimit(per_student=3, per_session=4, window_s=60))
    cls = store.create_class("A")
    ana, bo = store.join(cls.join_code, "Ana"), store.join(cls.join_code, "Bo")
    sent = [nonce() for _ in range(3)]
    for n in sent:
        store.submit(ana, "conv_blur", 0.5, link("conv_blur"), n, session_id="sess-1")
    before = snapshot(store, cls)
    with pytest.raises(RateLimited, match=r"You submitted 3 times in the last 60 s \(at most 3\); wait \d+ s") as e:
        store.submit(ana, "conv_blur", 0.5, link("conv_blur"), nonce(), session_id="sess-1")
    assert 1 <= e.value.retry_after <= 60
    assert isinstance(e.value, VisionCoreError)
    assert snapshot(store, cls) == before
    assert store.submit(ana, "conv_blur", 0.5, link("conv_blur"), sent[0], session_id="sess-1").replayed
    # per session: Bo in the same browser session gets 1 more, then the session limit (4) stops him
    store.submit(bo, "conv_blur", 0.5, link("conv_blur"), nonce(), session_id="sess-1")
    with pytest.raises(RateLimited, match="This browser session submitted 4 times"):
        store.submit(bo, "conv_blur", 0.5, link("conv_blur"), nonce(), session_id="sess-1")
    store.submit(bo, "conv_blur", 0.5, link("conv_blur"), nonce(), session_id="sess-2")  # his own session: fine
    clock.advance(61)  # the window passes
    store.submit(ana, "conv_blur", 0.75, link("conv_blur"), nonce(), session_id="sess-1")
    assert store.table(cls.class_id, cls.teacher_key).score("Ana", "conv_blur") == 0.75
    store.dispose()


def test_closed_class_refuses_joins_and_submissions(store):
    cls = store.create_class("A")
    tok = store.join(cls.join_code, "Ana")
    n = nonce()
    store.submit(tok, "conv_blur", 0.5, link("conv_blur"), n)
    store.close(cls.class_id, cls.teacher_key)
    before = snapshot(store, cls)
    assert before[0].closed and store.student(tok).class_closed
    with pytest.raises(ClassClosed, match="closed: it takes no new students"):
        store.join(cls.join_code, "Bo")
    with pytest.raises(ClassClosed, match="closed: your score was not saved"):
        store.submit(tok, "conv_blur", 0.9, link("conv_blur"), nonce())
    assert store.submit(tok, "conv_blur", 0.5, link("conv_blur"), n).replayed  # an old attempt stays answered
    assert snapshot(store, cls) == before
    store.reopen(cls.class_id, cls.teacher_key)
    store.submit(tok, "conv_blur", 0.9, link("conv_blur"), nonce())
    assert store.table(cls.class_id, cls.teacher_key).score("Ana", "conv_blur") == 0.9


def test_reset_deletes_submissions_of_that_class_only(store):
    a, b = store.create_class("A"), store.create_class("B")
    ta, tb = store.join(a.join_code, "Ana"), store.join(b.join_code, "Bo")
    for _ in range(3):
        store.submit(ta, "conv_blur", 0.5, link("conv_blur"), nonce())
    store.submit(tb, "conv_blur", 0.7, link("conv_blur"), nonce())
    b_before = snapshot(store, b)[:2]
    assert store.reset(a.class_id, a.teacher_key) == 3
    t = store.table(a.class_id, a.teacher_key)
    assert [r.display_name for r in t.rows] == ["Ana"] and dict(t.rows[0].best) == {}
    assert store.attempts(a.class_id, a.teacher_key) == []
    assert snapshot(store, b)[:2] == b_before
    assert store.student(ta).display_name == "Ana"  # the student keeps the identity
    store.submit(ta, "conv_blur", 0.25, link("conv_blur"), nonce())
    assert store.table(a.class_id, a.teacher_key).score("Ana", "conv_blur") == 0.25


def test_csv_content(store):
    cls = store.create_class("A")
    ana = store.join(cls.join_code, "Ana, the \"first\"")
    bo = store.join(cls.join_code, "=HYPERLINK(\"http://x\")")
    store.join(cls.join_code, "Cy")
    store.submit(ana, "conv_vertical", 0.1, link("conv_vertical", k=1), nonce())
    store.submit(ana, "conv_vertical", 0.3, link("conv_vertical", k=2), nonce())
    store.submit(bo, "stride_keep28", 1.0, link("stride_keep28"), nonce())
    text = store.csv(cls.class_id, cls.teacher_key, challenges=["conv_vertical", "stride_keep28", "gan_collapse"])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["student", "joined", "conv_vertical", "stride_keep28", "gan_collapse"]
    assert [r[0] for r in rows[1:]] == ["Ana, the \"first\"", "'=HYPERLINK(\"http://x\")", "Cy"]
    assert [r[2:] for r in rows[1:]] == [["0.3", "", ""], ["", "1.0", ""], ["", "", ""]]
    assert all(r[1].endswith("Z") for r in rows[1:])
    long = list(csv.reader(io.StringIO(store.attempts_csv(cls.class_id, cls.teacher_key))))
    assert long[0] == ["student", "challenge", "score", "time", "link"]
    assert [(r[1], r[2], r[4]) for r in long[1:]] == [
        ("conv_vertical", "0.1", "?challenge=conv_vertical&k=1"),
        ("conv_vertical", "0.3", "?challenge=conv_vertical&k=2"),
        ("stride_keep28", "1.0", "?challenge=stride_keep28")]


def test_bad_submissions_refused(store):
    cls = store.create_class("A")
    tok = store.join(cls.join_code, "Ana")
    before = snapshot(store, cls)
    bad = [dict(score=float("nan")), dict(score=float("inf")), dict(score="0.9"), dict(score=True),
           dict(link="javascript:alert(1)"), dict(link="https://evil.example/?x"), dict(link="?a=" + "b" * 5000),
           dict(link="?a=b c"), dict(challenge_id="Conv Blur"), dict(challenge_id=""), dict(challenge_id="x" * 65),
           dict(session_id="bad session"), dict(session_id="s" * 65)]
    for override in bad:
        args = dict(challenge_id="conv_blur", score=0.5, link=link("conv_blur"), nonce=nonce(), session_id=None)
        args.update(override)
        with pytest.raises(BadInput):
            store.submit(tok, **args)
    assert snapshot(store, cls) == before


def test_unreachable_database_says_so(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    with pytest.raises(StoreUnavailable, match="not available right now") as e:
        open_store(f"postgresql+psycopg://dvl:hunter2@127.0.0.1:{port}/dvl")
    assert "hunter2" not in str(e.value) and "***" in str(e.value)
