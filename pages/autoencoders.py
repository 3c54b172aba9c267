"""Autoencoders and the encoder–decoder: a convolutional autoencoder with a 2-D latent space trained live on
MNIST-5k, its latent plane (click to decode), a denoiser, and transposed convolution versus upsample + conv."""

from __future__ import annotations

import streamlit as st

from ui import autoencoder_views as views
from ui import jobs, training_panel
from ui.common import friendly_errors, page_header
from vision_core import autoencoders as ae

JOB = "ae_train"
TIME_LIMIT = 180.0
SHOWN = 10

page_header(
    "🗜️ Autoencoders",
    "002 outline “Autoencoders”; the encoder–decoder with “downsampling and upsampling inside the network” and "
    "“3 x 3 transpose convolution, stride 2 pad 1” (semantic segmentation, U-Net)",
    "An **encoder** squeezes a 28×28 digit (784 numbers) into a **code of 2 numbers**; a **decoder** rebuilds the "
    "digit from those 2 alone. Trained only to copy its input, the network has to find what matters. These are toy "
    "networks trained here, on the CPU, in 15 s to a minute (two cores; longer when the server is busy): one encoder with **two decoders** (transposed convolution "
    "and upsample + convolution) and a **denoising** autoencoder.",
)


def training_controls() -> None:
    """Section 1's settings and the Train / Stop buttons (the run is a background job of this session)."""
    st.subheader("1 · Train the autoencoders on MNIST-5k")
    c1, c2, c3 = st.columns(3)
    steps = c1.select_slider("Steps (mini-batches of 64)", [100, 200, 400, 800, 1200, 2000], 400, key="ae_steps",
                             bind="query-params")
    noise = c2.slider("Denoiser: largest training noise σ", 0.1, 1.0, 0.6, 0.05, key="ae_train_noise",
                      bind="query-params", help="Each training digit gets Gaussian noise of a random σ up to this.")
    seed = c3.number_input("Seed", 0, 9999, 0, key="ae_seed", bind="query-params")
    st.caption("4000 digits to train on, 1000 held out (never trained on) for every number below. Adam, learning "
               f"rate 0.003 decayed along a cosine; each run stops by itself after {TIME_LIMIT:.0f} s.")

    def run():
        config = ae.AutoencoderConfig(steps=int(steps), max_noise=float(noise), seed=int(seed)).validate()
        return lambda stop: ae.train_autoencoders(config, stop.is_set)

    training_panel.train_buttons(JOB, "ae", run, TIME_LIMIT)


def live_training(s: jobs.JobSnapshot, last: ae.AutoencoderProgress) -> None:
    """The run's numbers and curves (inside ``training_panel.live``'s fragment)."""
    untrained = last.curve[0].test
    m = st.columns(4)
    m[0].metric("Step", f"{last.step} / {last.total_steps}")
    m[1].metric("Held-out MSE, transposed", f"{last.test['transposed']:.4f}", f"{last.test['transposed'] - untrained[0]:+.4f}",
                delta_color="inverse", help="Mean squared error per pixel (0–1) on the 1000 held-out digits.")
    m[2].metric("Held-out MSE, upsample + conv", f"{last.test['upsample']:.4f}", f"{last.test['upsample'] - untrained[1]:+.4f}",
                delta_color="inverse")
    m[3].metric("Time", f"{s.elapsed:.0f} s", help=f"status: {s.status}")
    st.plotly_chart(views.curves_figure(last.curve, last.total_steps), key="ae_curves")
    if not s.running:
        st.success(f"{s.status.capitalize()} after {last.step} steps ({s.elapsed:.1f} s). Untrained, the decoders' "
                   f"held-out MSE was {untrained[0]:.3f} and {untrained[1]:.3f}.")


def reconstructions_view(twin, key: str) -> int:
    """Section 2: held-out digits and both decoders' reconstructions; returns the first digit shown."""
    st.subheader("2 · Reconstructions: 784 numbers → 2 → 784")
    first = int(st.number_input("First held-out digit shown", 0, 1000 - SHOWN, 0, SHOWN, key="ae_first",
                                bind="query-params", help="Which digits the sections below show (display only)."))
    rec = views.reconstructions(twin, key)
    rows = [rec.originals[first : first + SHOWN]] + [rec.outputs[k][first : first + SHOWN] for k in ae.DECODERS]
    st.image(ae.digit_rows(rows), caption="Top: held-out digits. Middle: what the transposed-convolution decoder "
             "rebuilds from their 2-number codes. Bottom: the upsample + convolution decoder, from the same codes.")
    c = st.columns(3)
    c[0].metric("Held-out MSE, transposed", f"{rec.mse['transposed']:.4f}")
    c[1].metric("Held-out MSE, upsample + conv", f"{rec.mse['upsample']:.4f}")
    c[2].metric("MSE of the mean digit", f"{rec.baseline:.4f}",
                help="Every held-out digit replaced by the average training digit: what 'no code at all' scores.")
    return first


def latent_view(twin, key: str) -> None:
    """Section 3: the held-out codes in the plane; a click (or two numbers) decodes any point."""
    st.subheader("3 · The latent space: every digit is a point (z₁, z₂)")
    lm = views.latent(twin, key)
    x0, x1, y0, y1 = lm.extent
    clicked = views.clicked_point(st.session_state.get("ae_latent"))
    if clicked is not None and clicked != st.session_state.get("_ae_clicked"):
        st.session_state["_ae_clicked"] = clicked
        st.session_state["ae_z1"], st.session_state["ae_z2"] = round(clicked[0], 2), round(clicked[1], 2)
    st.session_state.setdefault("ae_z1", round((x0 + x1) / 2, 2))
    st.session_state.setdefault("ae_z2", round((y0 + y1) / 2, 2))
    left, right = st.columns([3, 2])
    with right:
        z1 = st.number_input("z₁", step=0.1, format="%.2f", key="ae_z1")
        z2 = st.number_input("z₂", step=0.1, format="%.2f", key="ae_z2")
        decoded = [ae.decode([z1, z2], kind, net=twin) for kind in ae.DECODERS]
        st.image(ae.digit_rows(decoded, cell=112), width=180, caption=f"({z1:.2f}, {z2:.2f}) decoded: transposed "
                 "(top), upsample + conv (bottom)")
    with left:
        st.plotly_chart(views.latent_figure(lm, (z1, z2)), key="ae_latent", on_select="rerun", selection_mode="points")
    st.caption(f"Click anywhere on the plane (or type z₁, z₂) to decode that point. The codes keep the digits apart: "
               f"a 5-nearest-neighbour vote among the training digits' codes names **{lm.knn_accuracy:.0%}** of the "
               "held-out digits right from their 2 numbers alone (chance: 10 %).")
    kind = st.segmented_control("Decoder for the map", ae.DECODERS, default="transposed", key="ae_map",
                                bind="query-params", required=True, format_func=ae.DECODER_TITLES.get) or "transposed"
    st.image(views.manifold(twin, key, kind, lm.extent), width=560,
             caption="The whole plane decoded on a 12 × 12 grid (z₁ left → right, z₂ bottom → top, as in the scatter).")


def denoise_view(den, key: str, first: int) -> None:
    """Section 4: noisy digits in, clean digits out, with PSNR."""
    st.subheader("4 · A denoising autoencoder: noisy in, clean out")
    sigma = float(st.slider("Noise σ (Gaussian, on 0–1 pixels)", 0.0, 1.0, 0.4, 0.05, key="ae_sigma", bind="query-params"))
    res = views.denoised(den, key, sigma)
    shown = slice(first, first + SHOWN)
    st.image(ae.digit_rows([res.clean[shown], res.noisy[shown], res.output[shown]]),
             caption="Top: the clean held-out digits. Middle: with noise, what the denoiser is given. Bottom: its output.")
    c = st.columns(2)
    c[0].metric("PSNR of the noisy input", f"{res.mean_psnr_noisy:.1f} dB",
                help="Against the clean digit, mean over the 1000 held-out digits; higher is closer.")
    c[1].metric("PSNR of the denoised output", f"{res.mean_psnr_output:.1f} dB",
                f"{res.mean_psnr_output - res.mean_psnr_noisy:+.1f} dB")
    st.plotly_chart(views.psnr_figure(*views.psnr_curve(den, key), sigma), key="ae_psnr")
    st.caption("This one keeps a 7×7×8 spatial code (392 numbers, half the pixels) so it can put the strokes back; it "
               "was trained on noisy digits with the clean digit as the target.")


def decoders_view(twin, key: str, first: int) -> None:
    """Section 5: the same codes through both decoders, and each decoder's checkerboard measured."""
    st.subheader("5 · Transposed convolution versus upsample + convolution")
    rep = views.checkerboard(twin, key)
    cols = st.columns(2)
    for col, kind in zip(cols, ae.DECODERS):
        with col:
            st.markdown(f"**{ae.DECODER_TITLES[kind]}**")
            st.image(ae.digit_rows([rep.outputs[kind][first : first + SHOWN]], cell=40),
                     caption="The codes of the digits of section 2, decoded")
            st.image(ae.flat_response_image(rep.flat[kind]), width=200,
                     caption="Its answer to a flat input (all ones): grey = the mean, white/black = ±25 %")
            st.metric("Energy at the Nyquist frequency (outputs)", f"{100 * rep.nyquist[kind]:.4f} %",
                      help="Mean over the 1000 held-out digits' codes decoded by this decoder.")
            st.metric("Flat input: variation (std / mean)", f"{rep.flat_variation[kind]:.1%}",
                      help=f"{rep.flat_periodic[kind]:.0%} of the flat response's energy repeats every 4 pixels.")
    st.caption(f"Real digits have {100 * rep.reference_nyquist:.4f} % of their energy at the Nyquist frequency (patterns "
               "repeating every 2 pixels). A 3×3 kernel moved 2 pixels in the output overlaps itself unevenly — even "
               "output pixels get one copy per axis, odd ones two — so the transposed convolution paints a checkerboard "
               "whatever its weights; training hides most of it on digits, the flat input shows it bare. Nearest "
               "upsampling then a convolution treats every output pixel alike (Odena et al., Distill 2016).")


training_controls()
training_panel.live(JOB, live_training, waiting="Press **Train**: the curves appear here while the networks learn.",
                    starting="Starting… (loading 5000 digits, building three networks)")  # after the buttons
twin, den, record, key = views.trained_networks(JOB)
st.divider()
if twin is None:
    st.info("Train the networks first (section 1): reconstructions, the latent space, denoising and the two decoders "
            "appear here.")
else:
    st.caption(f"Using the weights of step {record.step}.")
    with friendly_errors():
        first = reconstructions_view(twin, key)
        latent_view(twin, key)
        denoise_view(den, key, first)
        decoders_view(twin, key, first)
