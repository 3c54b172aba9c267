"""A light Streamlit client: the browser's websocket protocol without a browser.

One ``LightClient`` is one student's tab: a websocket to ``/_stcore/stream`` that sends ``BackMsg.rerun_script``
(query string, page, widget states, fragment id) and reads ``ForwardMsg``s (``new_session``, deltas,
``page_info_changed``, ``script_finished``) as the frontend does, so the server does exactly the work a browser
would make it do, at a fraction of a browser's CPU. What it does like the frontend:

* connects with the subprotocol list ``["streamlit", <xsrf token or placeholder>(, <session id>)]``; sends no
  ``Origin`` (the server accepts that; XSRF only gates the auth cookie, which students here have none of);
* the first run names the page by its URL path (``page_name``) with the link's query string; later runs send the
  ``page_script_hash`` from ``new_session`` and the query string the server last sent (bound widgets rewrite it);
* every rerun reports the state of every widget on screen, as the frontend's widget manager does: the values set
  so far, else each element's default or server-set value (``default_state``); a widget change sends that widget's
  wire value (``int_value`` for integer number inputs, ``double_array_value`` for sliders, option labels for select
  boxes …) and the widget's ``fragment_id`` when it lives in a fragment (a fragment-only rerun);
* keeps cacheable messages by hash, reports them in ``cached_message_hashes`` and resolves ``ref_hash``
  messages from that cache, aging them out after ``maxCachedMessageAge`` runs as the frontend's cache does (the
  server then skips re-sending unchanged large elements, as for a browser);
* fetches the ``/media/...`` images of a run over HTTP, as the browser's ``<img>`` tags would (``fetch_media``);
* runs ``run_every`` fragments (``auto_rerun``) only inside ``wait_until`` (a polling page is polled while waiting).

It does not run custom components, upload files or keep a heartbeat. ``python -m tools.light_client URL PATH``
opens one page and prints what arrived.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.ScriptFinishedStatus
_FINAL = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR,
          FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
_STATUS_NAMES = {v: k for k, v in FINISHED.items()}

# Element types that are widgets (the element proto has an ``id`` the client sends values for).
WIDGET_TYPES = {
    "button", "button_group", "checkbox", "color_picker", "date_input", "multiselect", "number_input", "radio",
    "selectbox", "slider", "text_area", "text_input", "time_input", "dataframe", "download_button", "feedback",
    "component_instance", "file_uploader", "camera_input", "chat_input", "plotly_chart", "pagination", "menu_button",
}


class ClientError(RuntimeError):
    """The server closed the connection, or a run did not finish in time."""


@dataclass
class Widget:
    id: str
    kind: str                  # element type: "number_input", "slider", …
    label: str
    fragment_id: str           # "" when the widget is not in a fragment
    proto: Any                 # the element's own proto (NumberInput, Slider …)
    path: tuple[int, ...]

    @property
    def key(self) -> str | None:
        """The user key (``key=`` in the page), parsed from the id ``$$ID-<hash>-<key>``."""
        m = re.match(r"^\$\$ID-[0-9a-f]+-(.*)$", self.id)
        return None if m is None or m.group(1) == "None" else m.group(1)


@dataclass
class Run:
    """What one rerun request brought back."""

    elapsed: float             # send → final script_finished, seconds
    settled: float             # the same plus fetching the run's new media files
    status: str
    messages: list[ForwardMsg]
    texts: list[str]           # text of the elements that arrived in this run
    exceptions: list[str]      # st.exception / uncaught errors shown on the page
    media: list[str] = field(default_factory=list)
    fragment: bool = False

    def has_text(self, needle: str) -> bool:
        return any(needle in t for t in self.texts)


def element_texts(el) -> list[str]:
    """Human-readable strings of one Element proto (what a student reads)."""
    kind = el.WhichOneof("type")
    if kind is None:
        return []
    p = getattr(el, kind)
    if kind in ("markdown", "heading", "text", "alert"):
        return [p.body]
    if kind == "metric":
        return [p.label, p.body]
    if kind == "code":
        return [p.code_text]
    if kind == "exception":
        return [f"{p.type}: {p.message}"]
    if kind == "imgs":
        return [i.caption for i in p.imgs if i.caption]
    if hasattr(p, "label") and isinstance(getattr(p, "label"), str):
        return [p.label]
    return []


def encode_value(w: Widget, value: Any) -> WidgetState:
    """The WidgetState a browser sends for ``value`` in widget ``w`` (labels for option widgets)."""
    ws = WidgetState(id=w.id)
    p = w.proto
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) and value[0].endswith("_value"):
        field_name, raw = value                       # raw wire value: ("json_value", "...")
        target = getattr(ws, field_name)
        if hasattr(target, "data"):
            target.data[:] = list(raw)
        else:
            setattr(ws, field_name, raw)
        return ws
    kind = w.kind
    if kind == "checkbox":
        ws.bool_value = bool(value)
    elif kind == "number_input":
        if p.data_type == p.INT:
            ws.int_value = int(value)
        else:
            ws.double_value = float(value)
    elif kind == "slider":
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if len(p.options):                            # select_slider: option labels
            ws.string_array_value.data[:] = [str(v) for v in values]
        else:
            ws.double_array_value.data[:] = [float(v) for v in values]
    elif kind in ("selectbox", "radio", "text_input", "text_area", "color_picker"):
        ws.string_value = str(value)
    elif kind in ("multiselect", "button_group"):
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        ws.string_array_value.data[:] = [str(v) for v in values]
    elif kind in ("button", "download_button"):
        ws.trigger_value = True
    elif kind == "dataframe":                         # data_editor: the editing state as JSON
        ws.string_value = value if isinstance(value, str) else json.dumps(value)
    elif kind == "component_instance":
        ws.json_value = value if isinstance(value, str) else json.dumps(value)
    else:
        raise ValueError(f"the light client cannot set a {kind} widget ({w.label!r}); pass a raw (field, value)")
    return ws


def _has(p, name: str) -> bool:
    try:
        return p.HasField(name)
    except ValueError:                                # a field without presence
        return True


def default_state(w: Widget) -> WidgetState | None:
    """The state the frontend's widget manager holds for a widget nobody touched: the value the server set
    (``set_value``) or the element's default. None for widgets the frontend reports only once used (buttons, data
    editors, charts, components)."""
    p, kind = w.proto, w.kind
    ws = WidgetState(id=w.id)
    if kind == "number_input":
        v = p.value if p.set_value and _has(p, "value") else (p.default if _has(p, "default") else None)
        if v is None:
            return None
        if p.data_type == p.INT:
            ws.int_value = int(v)
        else:
            ws.double_value = float(v)
    elif kind == "slider":
        picked = list(p.value) if p.set_value else list(p.default)
        if len(p.options):
            labels = list(p.raw_value) if p.set_value and len(p.raw_value) else [p.options[int(i)] for i in picked]
            ws.string_array_value.data[:] = labels
        else:
            ws.double_array_value.data[:] = picked
    elif kind in ("selectbox", "radio"):
        if p.set_value and _has(p, "raw_value"):
            ws.string_value = p.raw_value
        elif _has(p, "default") and 0 <= p.default < len(p.options):
            ws.string_value = p.options[p.default]
        else:
            return None
    elif kind == "checkbox":
        ws.bool_value = p.value if p.set_value else p.default
    elif kind == "button_group":
        ws.string_array_value.data[:] = list(p.raw_values) if p.set_value else [p.options[i].content for i in p.default]
    elif kind == "multiselect":
        ws.string_array_value.data[:] = list(p.raw_values) if p.set_value else [p.options[i] for i in p.default]
    elif kind in ("text_input", "text_area"):
        if p.set_value and _has(p, "value"):
            ws.string_value = p.value
        elif _has(p, "default"):
            ws.string_value = p.default
        else:
            return None
    else:
        return None
    return ws


def _http_get(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> int:
    with opener.open(url, timeout=timeout) as r:
        return len(r.read())


class LightClient:
    """One student's tab. ``async with LightClient(url) as c: run = await c.open("/convolution?conv_stride=2")``;
    then ``await c.set("conv_stride", 3)``, ``c.edit_cells(...)``, ``c.click(...)``; ``run.elapsed`` is the rerun's
    send → final ``script_finished`` time."""

    def __init__(self, base_url: str, *, timeout: float = 60.0, fetch_media: bool = True,
                 use_message_cache: bool = True, http_load: bool = True, send_defaults: bool = True, timezone: str = "UTC", locale: str = "en-US") -> None:
        parsed = urllib.parse.urlsplit(base_url.rstrip("/"))
        if parsed.scheme not in ("http", "https"):
            raise ValueError(f"base_url must be http(s)://host:port, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.ws_url = ("wss" if parsed.scheme == "https" else "ws") + f"://{parsed.netloc}{parsed.path}/_stcore/stream"
        self.timeout = timeout
        self.fetch_media = fetch_media
        self.use_message_cache = use_message_cache
        self.http_load = http_load
        self.send_defaults = send_defaults
        self.timezone, self.locale = timezone, locale
        self.session_id: str | None = None
        self.query_string = ""
        self.page_name = ""
        self.page_script_hash = ""
        self.pages: dict[str, str] = {}               # url_pathname → page_script_hash (navigation message)
        self.screen: dict[tuple[int, ...], Any] = {}  # delta path → Element / Block proto
        self.widgets: dict[str, Widget] = {}          # widget id → Widget (what is on screen)
        self.auto_reruns: dict[str, float] = {}       # fragment id → interval (s)
        self.bytes_in = 0
        self._values: dict[str, WidgetState] = {}     # last value sent per widget id (frontend's widget manager)
        self._editor_edits: dict[str, dict] = {}      # data_editor id → cumulative edited_rows
        self._cache: dict[str, list] = {}             # hash → [message, run count last used, fragment id]
        self._run_count = 0
        self.max_cached_message_age = 2               # new_session.config says the server's value
        self._run_fragment = ""
        self._seen_media: set[str] = set()
        self.cookies = http.cookiejar.CookieJar()  # a load balancer's affinity cookie, Streamlit's XSRF cookie
        self._http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.upstream: str | None = None           # X-Upstream of the page load (deploy/ nginx sets it)
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._waiter: asyncio.Future | None = None
        self._run_msgs: list[ForwardMsg] = []
        self._run_paths: set[tuple[int, ...]] = set()
        self._full_run = False
        self._lock = asyncio.Lock()
        self.closed_reason: str | None = None

    # ----------------------------------------------------------------------------------------------- connection
    async def load(self, path: str = "/") -> None:
        """The HTTP requests a tab makes before its websocket: the page, health, host config (cookies kept)."""
        def _get() -> None:
            with self._http.open(self.base_url + (path if path.startswith("/") else "/" + path),
                                 timeout=self.timeout) as r:
                r.read()
                self.upstream = r.headers.get("X-Upstream")
            for p in ("/_stcore/health", "/_stcore/host-config"):
                _http_get(self._http, self.base_url + p, self.timeout)

        await asyncio.to_thread(_get)

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        protocols = ["streamlit", "PLACEHOLDER_AUTH_TOKEN"] + ([self.session_id] if self.session_id else [])
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        self._ws = await connect(self.ws_url, subprotocols=protocols, max_size=None, open_timeout=self.timeout,
                                 compression=None, ping_interval=None,
                                 additional_headers={"Cookie": cookie} if cookie else None)
        self.closed_reason = None
        self._reader = asyncio.create_task(self._read_loop(), name="light-client-reader")

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 5)
            except (asyncio.TimeoutError, Exception):
                self._reader.cancel()
        self._ws = self._reader = None

    async def __aenter__(self) -> LightClient:
        return self                                   # ``open()`` loads the page and connects

    async def __aexit__(self, *exc) -> None:
        await self.close()

    # ------------------------------------------------------------------------------------------------- actions
    async def open(self, path: str = "/") -> Run:
        """Load a link as a fresh tab would: ``/convolution?conv_stride=2`` (page by URL path, the link's query).
        Later runs name the page by the hash that the ``navigation`` message (or ``new_session``) resolved.
        On a fresh client this first makes the tab's HTTP requests (``load``), then connects the websocket."""
        if self._ws is None:
            if self.http_load:
                await self.load(path)
            await self.connect()
        parts = urllib.parse.urlsplit(path)
        self.page_name = parts.path.strip("/")
        self.page_script_hash = ""
        self.query_string = parts.query
        self._values.clear()
        self._editor_edits.clear()
        return await self.rerun()

    async def navigate(self, url_path: str, query: str = "") -> Run:
        """Switch page in the same session, as a click in the sidebar does (the page's hash, a fresh query)."""
        target = self.pages.get(url_path.strip("/"))
        if target is None:
            raise KeyError(f"no page {url_path!r}; pages: {sorted(self.pages)}")
        self.page_script_hash, self.page_name, self.query_string = target, "", query
        self._values.clear()
        self._editor_edits.clear()
        return await self.rerun()

    def widget(self, key_or_label: str) -> Widget:
        """The on-screen widget with this user key (preferred) or label."""
        for w in self.widgets.values():
            if w.key == key_or_label:
                return w
        for w in self.widgets.values():
            if w.label == key_or_label:
                return w
        raise KeyError(f"no widget {key_or_label!r} on screen; keys: {sorted(filter(None, self.keys()))}")

    def value(self, key_or_label: str):
        """The widget's value as this tab knows it: the last one sent, else the element's default (for option
        widgets the option label)."""
        w = self.widget(key_or_label)
        sent = self._values.get(w.id)
        if sent is not None:
            raw = getattr(sent, sent.WhichOneof("value"))
            return list(raw.data) if hasattr(raw, "data") else raw
        st = default_state(w)
        if st is None:
            return None
        raw = getattr(st, st.WhichOneof("value"))
        return list(raw.data) if hasattr(raw, "data") else raw

    def keys(self) -> list[str | None]:
        return [w.key for w in self.widgets.values()]

    async def set(self, key_or_label: str, value: Any) -> Run:
        """Change one widget (as a student would) and wait for the rerun it causes."""
        w = self.widget(key_or_label)
        state = encode_value(w, value)
        return await self._send_widget(w, state)

    async def click(self, key_or_label: str) -> Run:
        w = self.widget(key_or_label)
        return await self._send_widget(w, encode_value(w, True))

    async def edit_cells(self, key_or_label: str, edits: dict[tuple[int, str], Any]) -> Run:
        """Type into a ``st.data_editor``: ``{(row, column name): value}``; edits accumulate like the browser's."""
        w = self.widget(key_or_label)
        rows = self._editor_edits.setdefault(w.id, {})
        for (row, col), v in edits.items():
            rows.setdefault(str(row), {})[str(col)] = v
        payload = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
        return await self._send_widget(w, encode_value(w, json.dumps(payload)))

    async def _send_widget(self, w: Widget, state: WidgetState) -> Run:
        if not state.HasField("trigger_value"):
            self._values[w.id] = state
            self._update_query(w, state)
        return await self.rerun(extra=[state] if state.HasField("trigger_value") else (), fragment_id=w.fragment_id)

    def _update_query(self, w: Widget, state: WidgetState) -> None:
        """A bound widget's new value goes into the address bar, as the frontend writes it (best effort: the
        server only reads the URL on a first load, so this matters for links, not for the run)."""
        key = getattr(w.proto, "query_param_key", "")
        if not key:
            return
        field_name = state.WhichOneof("value")
        raw = getattr(state, field_name)
        values = [raw] if not hasattr(raw, "data") else list(raw.data)
        text = ["true" if v is True else "false" if v is False else
                (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for v in values]
        pairs = [(k, v) for k, v in urllib.parse.parse_qsl(self.query_string, keep_blank_values=True) if k != key]
        pairs.extend((key, t) for t in text)
        self.query_string = urllib.parse.urlencode(pairs)

    async def rerun(self, *, extra=(), fragment_id: str = "", auto: bool = False) -> Run:
        """Send ``rerun_script`` with the current client state; wait for the final ``script_finished``."""
        async with self._lock:
            if self._ws is None:
                raise ClientError("not connected")
            msg = BackMsg()
            cs = msg.rerun_script
            cs.query_string = self.query_string
            cs.page_script_hash = self.page_script_hash
            cs.page_name = self.page_name if not self.page_script_hash else ""
            cs.fragment_id = fragment_id
            self._run_fragment = fragment_id
            cs.is_auto_rerun = auto
            on_screen = set(self.widgets)
            for wid, st in self._values.items():
                if wid in on_screen or not self.widgets:
                    cs.widget_states.widgets.append(st)
            if self.send_defaults:                    # the frontend reports every widget on screen
                for wid, w in self.widgets.items():
                    if wid not in self._values:
                        try:
                            st = default_state(w)
                        except (IndexError, ValueError, AttributeError):
                            st = None
                        if st is not None:
                            cs.widget_states.widgets.append(st)
            cs.widget_states.widgets.extend(extra)
            if self.use_message_cache:
                cs.cached_message_hashes[:] = list(self._cache)
            ci = cs.context_info
            ci.timezone, ci.timezone_offset, ci.locale = self.timezone, 0, self.locale
            ci.url = f"{self.base_url}/{self.page_name}" + (f"?{self.query_string}" if self.query_string else "")
            ci.is_embedded, ci.color_scheme = False, "light"
            loop = asyncio.get_running_loop()
            self._waiter = loop.create_future()
            self._run_msgs = []
            t0 = time.perf_counter()
            await self._ws.send(msg.SerializeToString())
            try:
                status = await asyncio.wait_for(asyncio.shield(self._waiter), self.timeout)
            except asyncio.TimeoutError as exc:
                raise ClientError(f"no script_finished within {self.timeout:.0f} s") from exc
            finally:
                self._waiter = None
            elapsed = time.perf_counter() - t0
            msgs = self._run_msgs
            media = await self._fetch_new_media(msgs) if self.fetch_media else []
            settled = time.perf_counter() - t0
            texts, errors = [], []
            for m in msgs:
                if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element":
                    el = m.delta.new_element
                    texts.extend(element_texts(el))
                    if el.WhichOneof("type") == "exception":
                        errors.extend(element_texts(el))
            return Run(elapsed, settled, _STATUS_NAMES.get(status, str(status)), msgs, texts, errors, media,
                       fragment=bool(fragment_id))

    async def wait_until(self, predicate: Callable[[LightClient], bool], timeout: float = 60.0) -> float:
        """Run the page's ``run_every`` fragments at their intervals (as the frontend does) until
        ``predicate(self)``; returns the seconds waited."""
        t0 = time.perf_counter()
        while not predicate(self):
            if time.perf_counter() - t0 > timeout:
                raise ClientError(f"condition not met within {timeout:.0f} s")
            if not self.auto_reruns:
                await asyncio.sleep(0.2)
                continue
            fid, every = min(self.auto_reruns.items(), key=lambda kv: kv[1])
            await asyncio.sleep(every)
            await self.rerun(fragment_id=fid, auto=True)
        return time.perf_counter() - t0

    def screen_texts(self) -> list[str]:
        """Text of every element currently on screen (replaced elements dropped)."""
        out: list[str] = []
        for path in sorted(self.screen):
            el = self.screen[path]
            if hasattr(el, "WhichOneof") and el.DESCRIPTOR.name == "Element":
                out.extend(element_texts(el))
        return out

    def screen_has(self, needle: str) -> bool:
        return any(needle in t for t in self.screen_texts())

    # --------------------------------------------------------------------------------------------------- reading
    async def _read_loop(self) -> None:
        try:
            async for raw in self._ws:
                if isinstance(raw, str):
                    continue
                self.bytes_in += len(raw)
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except Exception as exc:  # connection closed / reset: fail the pending run
            self.closed_reason = repr(exc)
        else:
            self.closed_reason = "closed by the server"
        finally:
            if self._waiter is not None and not self._waiter.done():
                self._waiter.set_exception(ClientError(f"connection lost: {self.closed_reason}"))

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            entry = self._cache.get(msg.ref_hash)
            if entry is None:
                return
            entry[1] = self._run_count
            full = ForwardMsg()
            full.CopyFrom(entry[0])
            full.metadata.CopyFrom(msg.metadata)
            msg, kind = full, full.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash and self.use_message_cache:
            if msg.hash in self._cache:
                self._cache[msg.hash][1] = self._run_count
            else:
                frag = msg.delta.fragment_id if msg.WhichOneof("type") == "delta" else ""
                self._cache[msg.hash] = [msg, self._run_count, frag]
        self._run_msgs.append(msg)
        if kind == "new_session":
            ns = msg.new_session
            self.session_id = ns.initialize.session_id or self.session_id
            if ns.config.max_cached_message_age:
                self.max_cached_message_age = ns.config.max_cached_message_age
            if ns.page_script_hash:
                self.page_script_hash = ns.page_script_hash
            self._full_run = True
            self._run_paths = set()
            for p in ns.app_pages:
                self.pages[p.url_pathname] = p.page_script_hash
        elif kind == "navigation":                    # st.navigation: the page this run resolved to
            if msg.navigation.page_script_hash:
                self.page_script_hash = msg.navigation.page_script_hash
            for p in msg.navigation.app_pages:
                self.pages[p.url_pathname] = p.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta":
            self._apply_delta(msg)
        elif kind == "auto_rerun":
            self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                self.auto_reruns.pop(fid, None)
        elif kind == "script_finished":
            status = msg.script_finished
            if status == FINISHED.FINISHED_SUCCESSFULLY and self._full_run:
                self._prune()
            if status in _FINAL:
                self._age_cache(self._run_fragment if status == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY else "")
                self._full_run = False
                if self._waiter is not None and not self._waiter.done():
                    self._waiter.set_result(status)

    def _age_cache(self, fragment_id: str) -> None:
        """The frontend's ForwardMsgCache: after a run, drop messages unused for more than the server's
        ``maxCachedMessageAge`` runs (after a fragment run, only that fragment's messages age)."""
        self._run_count += 1
        for h, (_, used, frag) in list(self._cache.items()):
            if fragment_id and frag != fragment_id:
                continue
            if self._run_count - used > self.max_cached_message_age:
                del self._cache[h]

    def _apply_delta(self, msg: ForwardMsg) -> None:
        path = tuple(msg.metadata.delta_path)
        d = msg.delta
        dkind = d.WhichOneof("type")
        self._run_paths.add(path)
        if dkind == "new_element":
            el = d.new_element
            self.screen[path] = el
            etype = el.WhichOneof("type")
            for wid, w in list(self.widgets.items()):
                if w.path == path:
                    del self.widgets[wid]
            if etype in WIDGET_TYPES:
                p = getattr(el, etype)
                wid = getattr(p, "id", "")
                if wid:
                    if getattr(p, "set_value", False):    # the server set its value: it replaces ours
                        self._values.pop(wid, None)
                    label = getattr(p, "label", "") if isinstance(getattr(p, "label", ""), str) else ""
                    self.widgets[wid] = Widget(wid, etype, label, d.fragment_id, p, path)
        elif dkind == "add_block":
            self.screen[path] = d.add_block

    def _prune(self) -> None:
        """After a full run, drop what the run did not write (the frontend clears stale elements)."""
        keep = self._run_paths
        for path in [p for p in self.screen if p not in keep]:
            del self.screen[path]
        for wid in [w.id for w in self.widgets.values() if w.path not in keep]:
            del self.widgets[wid]

    async def _fetch_new_media(self, msgs: list[ForwardMsg]) -> list[str]:
        urls = []
        for m in msgs:
            if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element":
                el = m.delta.new_element
                if el.WhichOneof("type") == "imgs":
                    for img in el.imgs.imgs:
                        if img.url and not img.url.startswith("data:") and img.url not in self._seen_media:
                            self._seen_media.add(img.url)
                            urls.append(img.url)
        if urls:
            full = [u if u.startswith("http") else self.base_url + (u if u.startswith("/") else "/" + u)
                    for u in urls]
            results = await asyncio.gather(*(asyncio.to_thread(_http_get, self._http, u, self.timeout) for u in full),
                                           return_exceptions=True)
            self.bytes_in += sum(r for r in results if isinstance(r, int))
        return urls


async def _main(url: str, path: str) -> int:
    async with LightClient(url) as c:
        run = await c.open(path)
        print(f"{run.status} in {run.elapsed * 1000:.0f} ms ({len(run.messages)} messages, {len(run.media)} images)")
        for t in run.texts[:40]:
            print("  ", t[:110].replace("\n", " "))
        print("widgets:", ", ".join(sorted(k for k in c.keys() if k)))
        for e in run.exceptions:
            print("EXCEPTION", e)
        return 1 if run.exceptions else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "/")))
