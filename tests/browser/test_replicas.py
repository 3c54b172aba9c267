"""Two replicas behind nginx (``deploy/launch.py``, the same config as ``deploy/nginx/docker.conf``): two students
land on different replicas and both work; one replica stops mid-session: its student sees Streamlit's
connection notice, and a reload of the same link lands on the other replica with the same view (URL state); a
classroom student's saved submissions and the teacher's table survive the loss of the replica they were made on."""

from __future__ import annotations

import re
import time

import pytest

from deploy.launch import ROUTE_COOKIE, find_nginx, running_cluster
from tests.browser.classroom_steps import KEEP_28, KEEP_28_TITLE, best_scores, context_page, create_class, join, submit
from tests.browser.conftest import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser

LINK = "/convolution?conv_stride=2"          # stride 2 on Chelsea (451×300) → a 226×150 output

# Records every change of what the student sees of the connection: Streamlit's connection state (the attribute its
# frontend keeps on stApp), whether the Stride box is disabled (Streamlit disables widgets while disconnected) and
# the "Connecting" label of the top bar (hidden by ``client.toolbarMode = "minimal"``, shown with "viewer").
WATCH = """
window.__conn = [];
new MutationObserver(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const box = document.querySelector('input[aria-label="Stride"]');
  const label = document.querySelector('[data-testid="stConnectionStatus"]');
  const row = [app ? app.getAttribute('data-test-connection-state') : null, box ? box.disabled : null,
               label ? label.innerText : null];
  const last = window.__conn[window.__conn.length - 1];
  if (!last || last.join() !== row.join()) window.__conn.push(row);
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


def _nginx_or_fail() -> None:
    try:
        find_nginx()
    except RuntimeError as exc:
        pytest.fail(f"{exc} (`make test` does not install it; run `make serve` once or apt-get install -y nginx)")


def _route(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == ROUTE_COOKIE)


def _output(page, size: str) -> None:
    page.get_by_text(f"OUTPUT: {size}").first.wait_for()


@pytest.fixture
def cluster(tmp_path):
    _nginx_or_fail()
    # Like running_server(): an empty torch.hub, and one throwaway classroom database that both replicas share.
    env = {"TORCH_HOME": str(tmp_path / "torch"), "DVL_DATA": str(tmp_path / "data")}
    with running_cluster(2, timeout=120, env=env, database_url=f"sqlite:///{tmp_path / 'classroom.db'}") as cl:
        yield cl


def test_students_on_two_replicas_and_failover(browser, cluster):
    # The route cookie is random per browser: open fresh browsers until two sit on different replicas
    # (each try is a coin flip; eight tries all on one replica would be a 1-in-128 event).
    students = []
    t0 = time.monotonic()
    for _ in range(8):
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        ctx.add_init_script(WATCH)
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        resp = page.goto(cluster.url + LINK, wait_until="commit")
        replica = cluster.replica_at(resp.headers["x-upstream"])
        if any(s[2] is replica for s in students):
            ctx.close()
            continue
        students.append((ctx, page, replica))
        if len(students) == 2:
            break
    assert len(students) == 2, "eight browsers all landed on one replica: the affinity hash is not spreading"
    (ctx_a, a, rep_a), (ctx_b, b, rep_b) = students
    print(f"landed in {time.monotonic() - t0:.1f} s")

    for ctx, page, rep in students:
        wait_for_app(page)
        _output(page, "226×150")
        assert_no_exception(page)
        # Sticky: every later request of this browser goes to the replica it landed on.
        for _ in range(3):
            got = page.request.get(cluster.url + "/_stcore/health")
            assert got.ok and cluster.replica_at(got.headers["x-upstream"]) is rep

    print(f"both rendered in {time.monotonic() - t0:.1f} s")
    # Stop student A's replica mid-session.
    route_a, route_b = _route(ctx_a), _route(ctx_b)
    seen = a.evaluate("window.__conn.length")
    rep_a.stop()
    # Streamlit's frontend notices the lost websocket (state PINGING_SERVER / CONNECTING, widgets disabled and
    # greyed); nginx then sends its reconnection to the surviving replica (a new session there).
    a.wait_for_function("n => window.__conn.slice(n).some(r => r[0] !== 'CONNECTED' && r[1] === true)", arg=seen,
                        timeout=20_000)
    screenshot(a, "replicas-connection-lost")
    a.wait_for_function("() => document.querySelector('[data-testid=\"stApp\"]')"
                        ".getAttribute('data-test-connection-state') === 'CONNECTED'", timeout=30_000)

    print(f"reconnected in {time.monotonic() - t0:.1f} s")
    # A reload of the same link lands on the other replica with the same view.
    resp = a.reload()
    assert cluster.replica_at(resp.headers["x-upstream"]) is rep_b
    assert re.search(r"[?&]conv_stride=2\b", a.url), a.url
    wait_for_app(a)
    _output(a, "226×150")
    assert a.locator("input[aria-label='Stride']").first.input_value() == "2"
    assert_no_exception(a)

    print(f"reloaded in {time.monotonic() - t0:.1f} s")
    # Student B never noticed: a stride change still works on the surviving replica.
    box = b.locator("input[aria-label='Stride']").first
    box.fill("3")
    box.press("Enter")
    wait_for_app(b)
    _output(b, "151×100")
    assert_no_exception(b)
    screenshot(b, "replicas-student-b")

    ctx_a.close()
    ctx_b.close()
    # nginx logs a websocket when it closes: B's all went to B's replica, A's first one to A's replica.
    log = cluster.run_dir / "logs" / "access.log"
    for _ in range(50):
        streams = [ln for ln in log.read_text().splitlines() if "/_stcore/stream" in ln]
        b_streams = [ln for ln in streams if f"route={route_b}" in ln]
        a_streams = [ln for ln in streams if f"route={route_a}" in ln]
        if b_streams and len(a_streams) >= 2:
            break
        time.sleep(0.1)
    assert b_streams and all(f"upstream={rep_b.address}" in ln for ln in b_streams), b_streams
    assert any(f"upstream={rep_a.address}" in ln for ln in a_streams), a_streams


def test_failover_keeps_classroom_submissions(browser, cluster):
    # A teacher opens a class; a student joins and submits on the replica her browser sticks to (A).
    teacher_ctx, teacher = context_page(browser)
    code, key, number = create_class(teacher, cluster.url, "Failover class")
    teacher_ctx.close()
    ctx, ana, token = join(browser, cluster.url, code, "Ana", "Failover class")
    rep_a = cluster.replica_at(ana.request.get(cluster.url + "/_stcore/health").headers["x-upstream"])
    submit(ana, cluster.url, "output_size", {**KEEP_28, "os_p": "0"}, token, "86")

    # A stops; the student's own link (her key in ?me=) reopens on B with her identity and her saved attempt.
    rep_a.stop()
    resp = ana.goto(f"{cluster.url}/classroom?me={token}")
    rep_b = cluster.replica_at(resp.headers["x-upstream"])
    assert rep_b is not rep_a and rep_b.alive()
    wait_for_app(ana)
    ana.get_by_text("Ana · Failover class").first.wait_for()
    assert ana.get_by_text("No submissions yet").count() == 0
    grid = ana.locator("[data-testid='stDataFrame']").first
    grid.wait_for()
    ana.wait_for_function("el => el.textContent.includes('86')", arg=grid.element_handle(), timeout=30_000)
    assert KEEP_28_TITLE in grid.text_content()
    assert_no_exception(ana)
    screenshot(ana, "replicas-classroom-after-failover")

    # She goes on working on B; the teacher's table (a new browser, also on B now) holds both replicas' work.
    submit(ana, cluster.url, "output_size", {**KEEP_28, "os_p": "2"}, token, "100")
    teacher_ctx, teacher = context_page(browser)
    cells = best_scores(teacher, cluster.url, number, key)
    assert set(cells) == {"Ana"} and cells["Ana"][KEEP_28_TITLE] == "100 %"
    attempts = teacher.get_by_role("tabpanel").locator("[data-testid='stDataFrame']").last   # the Attempts table
    attempts.scroll_into_view_if_needed()
    teacher.wait_for_function("el => (el.textContent.match(/Keep 28×28/g) || []).length === 2",
                              arg=attempts.element_handle(), timeout=30_000)
    ctx.close()
    teacher_ctx.close()
