"""Watch a GAN train: a small DCGAN on MNIST-5k and a 2-D toy, live, with mode collapse named."""

from __future__ import annotations

import streamlit as st

from ui import gan_ui, jobs
from ui.common import page_header
from vision_core.generative import training as gt

page_header(
    "⚔️ Watch a GAN train",
    "GANs — the generator/discriminator game (lectures 000 and 002)",
    "Two networks play min_G max_D V(D, G). The discriminator D learns to tell real from fake; the generator G "
    "learns to fool it. Start a run and watch the losses, D's beliefs and the samples change as they train.",
)

mode = st.segmented_control("What to learn", ["MNIST digits", "2-D toy"], default="MNIST digits",
                            key="gan_mode", bind="query-params", required=True) or "MNIST digits"
presets = list(gt.PRESETS)
preset = st.selectbox("Preset", presets, 0, key="gan_preset", bind="query-params",
                      help="'mode collapse' makes G far stronger than D, so G settles on a few outputs.")
base = gt.PRESETS[preset]
toy = mode == "2-D toy"
c1, c2, c3, c4 = st.columns(4)
lr_g = c1.number_input("G learning rate", 1e-6, 1.0, base.lr_g * (5 if toy and preset.startswith("balanced") else 1),
                       format="%.5f", key=f"gan_lrg_{mode}_{preset}")
lr_d = c2.number_input("D learning rate", 1e-6, 1.0, base.lr_d * (5 if toy and preset.startswith("balanced") else 1),
                       format="%.5f", key=f"gan_lrd_{mode}_{preset}")
steps = int(c3.number_input("Steps", 10, 20000, 3000 if toy else 1500, 10, key=f"gan_steps_{mode}"))
batch = int(c4.select_slider("Batch", [16, 32, 64, 128, 256], 256 if toy else 64, key=f"gan_batch_{mode}"))
dataset = st.selectbox("Distribution", gt.TOY_DATASETS, key="gan_toy", bind="query-params") if toy else None

JOB = "gan_train"
snap = jobs.snapshot(JOB)
b1, b2, b3, b4 = st.columns(4)
if b1.button("▶️ Start", key="gan_start", disabled=bool(snap and snap.running), type="primary"):
    try:
        config = gt.GanConfig(
            steps=steps, batch=batch, lr_g=float(lr_g), lr_d=float(lr_d), beta1=base.beta1, g_steps=base.g_steps,
            z_dim=2 if toy else 64, sample_every=20 if toy else 25, seed=0,
        ).validate()
    except ValueError as exc:
        st.error(str(exc))
    else:
        factory = (lambda stop: gt.train_toy_gan(dataset, config)) if toy else (lambda stop: gt.train_mnist_gan(config))
        try:
            jobs.forget(JOB)
            jobs.start(JOB, factory, time_limit=300)
            st.session_state["gan_job_meta"] = {"toy": toy, "dataset": dataset}
            st.rerun()
        except jobs.JobRefused as exc:
            st.warning(str(exc))
if snap and snap.status == "paused":
    if b2.button("⏯️ Resume", key="gan_resume"):
        jobs.resume(JOB)
        st.rerun()
elif b2.button("⏸️ Pause", key="gan_pause", disabled=not (snap and snap.running)):
    jobs.pause(JOB)
    st.rerun()
if b3.button("⏹️ Stop", key="gan_stop", disabled=not (snap and snap.running)):
    jobs.stop(JOB)
    jobs.wait(JOB, 5)
    st.rerun()
if b4.button("↺ Reset", key="gan_reset"):
    jobs.forget(JOB)
    st.session_state.pop("gan_job_meta", None)
    st.rerun()


@st.fragment(run_every=1.0)
def live() -> None:
    snap = jobs.snapshot(JOB)
    meta = st.session_state.get("gan_job_meta")
    if snap is None or meta is None:
        st.info("Press **Start**. A run is limited to 5 minutes; one run per user at a time.")
        return
    last = snap.latest
    if last is None:
        st.caption("Starting…")
        return
    rate = snap.steps / max(snap.elapsed - snap.paused_for, 1e-6)
    st.markdown(f"**{snap.status}** · step {last.step} · {rate:.1f} steps/s · D accuracy {last.d_accuracy:.0%}")
    if snap.error:
        st.error(snap.error)
    history = [h for h in snap.history]
    sampled = [h for h in history if h.samples is not None]
    if sampled and sampled[-1].collapsed:
        st.error(f"⚠️ **Mode collapse**: the generator's samples have lost their variety "
                 f"(diversity {sampled[-1].diversity:.2f} of the real data's). G found a few outputs that fool D "
                 "and stopped exploring.", icon="🌀")
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(gan_ui.loss_figure(history[::max(1, len(history) // 400)]), key="gan_loss")
        st.plotly_chart(gan_ui.d_figure(history[::max(1, len(history) // 400)]), key="gan_d")
    with right:
        if sampled:
            shown = sampled[-1]
            if meta["toy"]:
                st.plotly_chart(gan_ui.toy_figure(shown, gan_ui.toy_reference(meta["dataset"])), key="gan_toy_fig")
                if shown.modes_covered is not None:
                    st.caption(f"Modes covered: {shown.modes_covered}")
            else:
                st.image(gan_ui.digit_grid(shown.samples), caption=f"Fixed noise, step {shown.step}", width=360)
        st.plotly_chart(gan_ui.diversity_figure(history, gt.COLLAPSE_THRESHOLD), key="gan_div")


live()
