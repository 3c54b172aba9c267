"""The history page's figures and views: the interactive timeline, one event with its page, the ImageNet chart.

The data are ``vision_core.history``'s; figures are built once per selection through ``ui.figures.remembered``.
A click on the timeline picks the event the select box shows; the link's ``history_event`` names it by key.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import streamlit as st

from ui.catalog import PAGES, PageInfo
from ui.figures import remembered
from vision_core.history import EVENTS, HUMAN_TOP5, ILSVRC, LANES, Event, event, improvement

DEFAULT_EVENT = "alexnet"
_CHART_KEY = "history_timeline"
_APPLIED = "_history_click"
LANE_COLOURS = ("#64748b", "#a855f7", "#0ea5e9", "#f59e0b", "#ef4444", "#10b981")
"""One colour per row of the timeline (``vision_core.history.LANES`` order)."""


def page_for(evt: Event) -> PageInfo:
    """The catalog page that teaches ``evt`` (its ``page`` is that page's URL path)."""
    return next(p for p in PAGES if p.url_path == evt.page)


def _wrap(text: str, width: int = 70) -> str:
    return "<br>".join(textwrap.wrap(text, width))


def _ticks() -> tuple[list[int], list[str]]:
    """Events stand in order, one column each (the last decade holds most of them); a year is written once."""
    vals, text, last = [], [], None
    for i, e in enumerate(EVENTS):
        if e.year != last:
            vals.append(i)
            text.append(str(e.year))
            last = e.year
    return vals, text


@remembered
def timeline_figure(selected: str) -> go.Figure:
    """Every event on its row by year; the hover shows the lecture's words; ``selected`` is drawn larger."""
    fig = go.Figure()
    for lane, colour in zip(LANES, LANE_COLOURS):
        idx = [i for i, e in enumerate(EVENTS) if e.lane == lane]
        evs = [EVENTS[i] for i in idx]
        fig.add_scatter(
            x=idx, y=[LANES.index(lane)] * len(idx), mode="markers+text", name=lane, text=[e.short for e in evs],
            textposition=["top center" if i % 2 == 0 else "bottom center" for i in idx],
            textfont=dict(size=10),
            marker=dict(size=[22 if e.key == selected else 12 for e in evs], color=colour,
                        line=dict(width=[3 if e.key == selected else 1 for e in evs], color="#111827")),
            customdata=[[e.key, e.title, _wrap(e.told), _wrap(e.source), e.year] for e in evs],
            hovertemplate="<b>%{customdata[4]} · %{customdata[1]}</b><br>%{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>",
        )
    fig.update_layout(
        height=520, margin=dict(l=10, r=10, t=30, b=10), showlegend=False, hovermode="closest",
        xaxis=dict(title="in order of publication (not to scale: 1826 to 1959 is one step, 2014 three)",
                   tickvals=_ticks()[0], ticktext=_ticks()[1], tickangle=-45, range=[-0.8, len(EVENTS) - 0.2],
                   showgrid=False),
        yaxis=dict(tickvals=list(range(len(LANES))), ticktext=list(LANES), range=[-0.7, len(LANES) - 0.4],
                   autorange="reversed"),
        clickmode="event+select",
    )
    return fig


@remembered
def ilsvrc_figure() -> go.Figure:
    """Bars of the published winning top-5 error by year (VGG, second in 2014, beside GoogLeNet), the human line."""
    labels = [f"{r.year}" if r.place == 1 else f"{r.year} ({r.place}nd)" for r in ILSVRC]
    colours = ["#94a3b8" if not r.deep else ("#ef4444" if r.place == 1 else "#fca5a5") for r in ILSVRC]
    fig = go.Figure()
    fig.add_bar(x=labels, y=[r.top5 for r in ILSVRC], marker_color=colours,
                text=[f"{r.label}<br>{r.top5:g} %" for r in ILSVRC], textposition="outside",
                customdata=[[r.note, r.source] for r in ILSVRC],
                hovertemplate="<b>%{x}: %{y:g} %</b><br>%{customdata[0]}<br><i>%{customdata[1]}</i><extra></extra>")
    fig.add_hline(y=HUMAN_TOP5, line_dash="dash", line_color="#111827",
                  annotation_text=f"a trained human ≈ {HUMAN_TOP5:g} % (Russakovsky et al. 2015)",
                  annotation_position="top right")
    fig.update_layout(height=460, margin=dict(l=10, r=10, t=40, b=10), yaxis=dict(title="top-5 error (%)", range=[0, 33]),
                      xaxis=dict(title="ILSVRC year (grey: hand-made features; red: convolutional networks)"),
                      title="ImageNet classification: the winning top-5 error")
    return fig


def _apply_click() -> None:
    """A new click on the timeline selects that event in the select box (before the box is drawn)."""
    state = st.session_state.get(_CHART_KEY)
    points = (state or {}).get("selection", {}).get("points", []) if isinstance(state, dict) or state else []
    if not points:
        return
    key = points[0].get("customdata", [None])[0]
    if key and key != st.session_state.get(_APPLIED):
        st.session_state[_APPLIED] = key
        st.session_state["history_event"] = key


def timeline_view() -> Event:
    """The timeline and the select box; returns the chosen event."""
    keys = [e.key for e in EVENTS]
    if "history_event" not in st.session_state:  # a shared link names the event by its key (?history_event=gan)
        linked = st.query_params.get("history_event", DEFAULT_EVENT)
        st.session_state["history_event"] = linked if linked in keys else DEFAULT_EVENT
    _apply_click()
    key = st.selectbox("Event", keys, key="history_event", format_func=lambda k: f"{event(k).year} · {event(k).title}",
                       help="Or click a point on the timeline.")
    if key == DEFAULT_EVENT:
        st.query_params.pop("history_event", None)
    else:
        st.query_params["history_event"] = key
    st.plotly_chart(timeline_figure(key), key=_CHART_KEY, on_select="rerun", selection_mode="points",
                    config={"displayModeBar": False})
    st.caption("Hover a point for the lecture's words; click it (or use the box above) to open it below.")
    return event(key)


def event_view(evt: Event) -> None:
    """One event: the lecture's words, where it was published, and the page of this app that teaches it."""
    st.subheader(f"{evt.year} · {evt.title}")
    if evt.words:
        st.markdown(f"> {evt.words}" + (f"\n>\n> *({evt.gloss})*" if evt.gloss else ""))
        st.caption("In lecture 000's own words" + (" (the slides are partly in Portuguese)." if evt.gloss else "."))
    if evt.context:
        st.markdown(evt.context)
    st.markdown(f"**Source:** {evt.source}")
    page = page_for(evt)
    st.page_link(f"pages/{page.script}", label=f"Try it: {page.title} — {page.summary}", icon=page.icon)


def ilsvrc_view() -> None:
    """The ImageNet chart and the two drops the lecture points at."""
    st.subheader("Large Scale Visual Recognition Challenge (ILSVRC) - ImageNet")
    resnet = next(r for r in ILSVRC if r.year == 2015)
    st.markdown(
        "Each year's winner on **1000 classes**: a guess counts as right when the true class is among the system's "
        f"top 5. In 2012 the error fell by **{improvement(2011, 2012):g} points** when AlexNet replaced hand-made "
        f"features; by 2015 ResNet ({resnet.top5:g} %) was below the human estimate of {HUMAN_TOP5:g} %."
    )
    st.plotly_chart(ilsvrc_figure(), key="history_ilsvrc", config={"displayModeBar": False})
    st.dataframe([{"year": r.year, "place": r.place, "team": r.team, "system": r.system, "top-5 error (%)": r.top5,
                   "note": r.note, "source": r.source} for r in ILSVRC], hide_index=True, key="history_ilsvrc_table")
