"""Thirty students submitting at once all land, on SQLite and PostgreSQL; one attempt sent thirty times lands once.

The timings are printed and written to ``test-artifacts/classroom-concurrency-<backend>.json``.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from vision_core.classroom import RateLimit, open_store
from vision_core.classroom.schema import students, submissions

ROOT = Path(__file__).resolve().parents[2]
STUDENTS = 30
EACH = 5


def _run_all(fn, n: int) -> tuple[float, list[BaseException]]:
    """Run ``fn(i)`` in ``n`` threads released together; (seconds from release to the last finish, errors)."""
    errors: list[BaseException] = []
    gate = threading.Barrier(n + 1)

    def work(i):
        gate.wait()
        try:
            fn(i)
        except BaseException as e:  # noqa: BLE001 — asserted by the caller
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join(timeout=120)
    return time.perf_counter() - t0, errors


def test_thirty_concurrent_submitters_all_land(db_url, capsys):
    store = open_store(db_url)
    cls = store.create_class("Concurrency")
    tokens: list[str | None] = [None] * STUDENTS

    def join(i):
        tokens[i] = store.join(cls.join_code, f"Student {i:02d}")

    def submit(i):
        for k in range(EACH):
            r = store.submit(tokens[i], "conv_blur", i + k / 10, f"?challenge=conv_blur&i={i}&k={k}",
                             uuid.uuid4().hex, session_id=f"session-{i}")
            assert not r.replayed

    join_s, errors = _run_all(join, STUDENTS)
    assert not errors, errors[:3]
    submit_s, errors = _run_all(submit, STUDENTS)
    assert not errors, errors[:3]

    with store.engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(students)).scalar() == STUDENTS
        assert c.execute(sa.select(sa.func.count()).select_from(submissions)).scalar() == STUDENTS * EACH
    t = store.table(cls.class_id, cls.teacher_key)
    assert len(t.rows) == STUDENTS
    for row in t.rows:
        i = int(row.display_name.split()[1])
        assert row.best["conv_blur"].score == i + (EACH - 1) / 10
        assert row.best["conv_blur"].attempts == EACH
    figures = {"backend": store.backend, "students": STUDENTS, "submissions_each": EACH,
               "join_s": round(join_s, 3), "submit_s": round(submit_s, 3),
               "submits_per_s": round(STUDENTS * EACH / submit_s, 1)}
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / f"classroom-concurrency-{store.backend}.json").write_text(json.dumps(figures, indent=1) + "\n")
    with capsys.disabled():
        print(f"\n[classroom] {store.backend}: {STUDENTS} concurrent joins {join_s:.2f} s; "
              f"{STUDENTS}×{EACH} concurrent submissions {submit_s:.2f} s ({figures['submits_per_s']}/s)")
    store.dispose()


def test_one_attempt_sent_thirty_times_at_once_lands_once(db_url):
    store = open_store(db_url, rate_limit=RateLimit(per_student=100, per_session=100))
    cls = store.create_class("Replay race")
    tok = store.join(cls.join_code, "Ana")
    nonce = uuid.uuid4().hex
    receipts = []
    _, errors = _run_all(lambda i: receipts.append(store.submit(tok, "conv_blur", 0.5, "?challenge=conv_blur", nonce)),
                         STUDENTS)
    assert not errors, errors[:3]
    assert len(receipts) == STUDENTS
    assert sum(not r.replayed for r in receipts) == 1
    assert len({r.submission_id for r in receipts}) == 1
    assert len(store.attempts(cls.class_id, cls.teacher_key)) == 1
    store.dispose()
