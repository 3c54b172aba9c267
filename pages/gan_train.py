"""Watch a GAN train: a small DCGAN on MNIST-5k and a 2-D toy, live, with mode collapse named.

The live view refreshes only while this session's run is waiting or running; paused, finished or absent,
it polls nothing."""

from __future__ import annotations

import streamlit as st

from ui import challenge_panel, gan_ui, jobs
from ui.common import page_header
from vision_core.errors import BadInput
from vision_core.challenges.results import GAN_OUTCOMES
from vision_core.generative import training as gt

JOB = "gan_train"
MAX_POINTS = 400
"""Points per curve: the history is thinned to about this many for the loss plots."""


def settings_view() -> tuple[bool, str | None, dict]:
    """The mode, preset and numbers: (toy?, toy dataset, the ``GanConfig`` fields)."""
    mode = st.segmented_control("What to learn", ["MNIST digits", "2-D toy"], default="MNIST digits",
                                key="gan_mode", bind="query-params", required=True) or "MNIST digits"
    preset = st.selectbox("Preset", list(gt.GAN_PRESETS), 0, key="gan_preset", bind="query-params",
                          help="'mode collapse' makes G far stronger than D, so G settles on a few outputs.")
    base = gt.GAN_PRESETS[preset]
    toy = mode == "2-D toy"
    boost = 5 if toy and preset.startswith("balanced") else 1
    c1, c2, c3, c4 = st.columns(4)
    lr_g = c1.number_input("G learning rate", 1e-6, 1.0, base.lr_g * boost, format="%.5f", key=f"gan_lrg_{mode}_{preset}")
    lr_d = c2.number_input("D learning rate", 1e-6, 1.0, base.lr_d * boost, format="%.5f", key=f"gan_lrd_{mode}_{preset}")
    steps = int(c3.number_input("Steps", 10, 20000, 3000 if toy else 1500, 10, key=f"gan_steps_{mode}"))
    batch = int(c4.select_slider("Batch", [16, 32, 64, 128, 256], 256 if toy else 64, key=f"gan_batch_{mode}"))
    dataset = st.selectbox("Distribution", gt.TOY_DATASETS, key="gan_toy", bind="query-params") if toy else None
    fields = dict(steps=steps, batch=batch, lr_g=float(lr_g), lr_d=float(lr_d), beta1=base.beta1, g_steps=base.g_steps,
                  z_dim=2 if toy else 64, sample_every=20 if toy else 25, seed=0)
    return toy, dataset, fields


def controls_view(toy: bool, dataset: str | None, fields: dict) -> None:
    """Start, pause/resume, stop and reset."""
    snap = jobs.snapshot(JOB)
    alive = snap is not None and snap.running
    b1, b2, b3, b4 = st.columns(4)
    if b1.button("▶️ Start", key="gan_start", disabled=alive, type="primary"):
        try:
            config = gt.GanConfig(**fields).validate()
        except BadInput as exc:
            st.error(str(exc))
        else:
            run = (lambda stop: gt.train_toy_gan(dataset, config)) if toy else (lambda stop: gt.train_mnist_gan(config))
            try:
                jobs.forget(JOB)
                jobs.start(JOB, run, time_limit=300)
                st.session_state["gan_job_meta"] = {"toy": toy, "dataset": dataset}
                st.rerun()
            except jobs.JobRefused as exc:
                st.warning(str(exc))
    if snap is not None and snap.status == "paused":
        if b2.button("⏯️ Resume", key="gan_resume"):
            jobs.resume(JOB)
            st.rerun()
    elif b2.button("⏸️ Pause", key="gan_pause", disabled=not (snap and snap.status == "running")):
        jobs.pause(JOB)
        st.rerun()
    if b3.button("⏹️ Stop", key="gan_stop", disabled=not alive):
        jobs.stop(JOB)
        jobs.wait(JOB, 5)
        st.rerun()
    if b4.button("↺ Reset", key="gan_reset"):
        jobs.forget(JOB)
        st.session_state.pop("gan_job_meta", None)
        st.rerun()


def _ticking() -> bool:
    """Whether the run is waiting or running: only then does the live view refresh itself (a paused,
    finished or absent run polls nothing)."""
    snap = jobs.snapshot(JOB)
    return snap is not None and snap.status in TICKING_STATUSES


TICKING_STATUSES = ("queued", "running")


def live(ticking: bool) -> None:
    """The run's status, curves and latest samples, in a fragment that refreshes every second while
    ``ticking``; when the run stops ticking the page reruns once, so the refresh stops and the buttons follow."""

    @st.fragment(run_every=1.0 if ticking else None)
    def view() -> None:
        snap = jobs.snapshot(JOB)
        meta = st.session_state.get("gan_job_meta")
        if ticking and (snap is None or snap.status not in TICKING_STATUSES):
            st.rerun()
        if snap is None or meta is None:
            st.info("Press **Start**. A run is limited to 5 minutes; one run per user at a time.")
        elif snap.status == "queued":
            st.info(jobs.describe(snap), icon="⏳")
        elif snap.latest is None:
            st.caption("Starting…")
        else:
            history_view(snap, meta, snap.latest)

    view()


def history_view(snap: jobs.JobSnapshot, meta: dict, last: gt.GanStep) -> None:
    """Losses, D's beliefs, the samples and their diversity so far."""
    rate = snap.steps / max(snap.elapsed - snap.paused_for, 1e-6)
    st.markdown(f"**{snap.status}** · step {last.step} · {rate:.1f} steps/s · D accuracy {last.d_accuracy:.0%}")
    if snap.error:
        st.error(snap.error)
    history = snap.history
    sampled = [h for h in history if h.samples is not None]
    if challenge_panel.active_id() == "gan-collapse" and not meta["toy"]:
        if sampled:
            named = st.selectbox("What happened to the generator? (name it: the challenge checks)", GAN_OUTCOMES,
                                 index=len(GAN_OUTCOMES) - 1, key="gan_named", bind="query-params")
            challenge_panel.score("gan_train", {"diversity": float(sampled[-1].diversity), "named": named}, inline=True)
    elif sampled and sampled[-1].collapsed:
        st.error(f"⚠️ **Mode collapse**: the generator's samples have lost their variety "
                 f"(diversity {sampled[-1].diversity:.2f} of the real data's). G found a few outputs that fool D "
                 "and stopped exploring.", icon="🌀")
    thinned = history[::max(1, len(history) // MAX_POINTS)]
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(gan_ui.loss_figure(thinned), key="gan_loss")
        st.plotly_chart(gan_ui.d_figure(thinned), key="gan_d")
    with right:
        if sampled:
            shown = sampled[-1]
            if meta["toy"]:
                st.plotly_chart(gan_ui.toy_figure(shown, gan_ui.toy_reference(meta["dataset"])), key="gan_toy_fig")
                if shown.modes_covered is not None:
                    st.caption(f"Modes covered: {shown.modes_covered}")
            else:
                st.image(gt.digit_grid(shown.samples), caption=f"Fixed noise, step {shown.step}", width=360)
        st.plotly_chart(gan_ui.diversity_figure(sampled, gt.COLLAPSE_THRESHOLD), key="gan_div")


page_header(
    "⚔️ Watch a GAN train",
    "GANs — the generator/discriminator game (lectures 000 and 002)",
    "Two networks play min_G max_D V(D, G). The discriminator D learns to tell real from fake; the generator G "
    "learns to fool it. Start a run and watch the losses, D's beliefs and the samples change as they train.",
)
controls_view(*settings_view())
live(_ticking())
