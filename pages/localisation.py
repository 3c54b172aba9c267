"""Classification + localisation: a small CNN with a class head and a 4-number box head, trained live on
synthetic canvases (one MNIST digit at a random place and size), then tried on new canvases and a drawing."""

from __future__ import annotations

import streamlit as st

from ui import jobs, training_panel
from ui import localisation_views as views
from ui.common import friendly_errors, page_header
from ui.train_plots import probability_bars
from ui.train_views import drawing_canvas
from vision_core import localisation as loc

JOB = "loc_train"
TIME_LIMIT = 180.0

page_header(
    "🎯 Classification + localisation",
    "001 “Classificação + Localização” (objeto único): “Tratar a localização como um problema de regressão” — "
    "Softmax Loss + L2 Loss",
    "One object per image: say **what** it is and **where** it is. The network has two heads on one trunk: class "
    "scores trained with the softmax loss, and **4 numbers** — the box (x, y, w, h) — trained as a regression with "
    "the L2 loss. The two losses are added: Loss = CE + λ · L2. A toy, trained here on the CPU in 15 s to a minute on "
    "64×64 canvases made on the fly, each with one MNIST digit pasted at a random place and size.",
)


def data_view() -> None:
    """Section 1: what the network learns from (each scene's box is the exact box of its ink)."""
    st.subheader("1 · The data: one digit, somewhere, of some size")
    picture, scenes = views.examples()
    st.image(picture, caption="Training canvases with their true boxes (green): the tight box of the digit's ink. "
             f"Digits {loc.SIZES[0]}–{loc.SIZES[1]} pixels tall on a {loc.CANVAS}×{loc.CANVAS} canvas. Labels: "
             + ", ".join(str(int(v)) for v in scenes.labels))


def training_controls() -> None:
    """Section 2's settings and the Train / Stop buttons (the run is a background job of this session)."""
    st.subheader("2 · Train: Loss = softmax cross-entropy + λ · box loss")
    c1, c2, c3, c4 = st.columns(4)
    steps = c1.select_slider("Steps (64 fresh canvases each)", [100, 200, 400, 600, 1000, 1500], 400, key="loc_steps",
                             bind="query-params")
    weight = c2.select_slider("λ (weight of the box loss)", [0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0], 10.0,
                              key="loc_lambda", bind="query-params", help="λ = 0 trains the class head only.")
    kind = c3.selectbox("Box loss", loc.BOX_LOSSES, key="loc_box_loss", bind="query-params",
                        help="L2: Σ (b − b')² over the 4 numbers, as in the lecture. Smooth L1 grows only linearly "
                             "for large errors.")
    seed = c4.number_input("Seed", 0, 9999, 0, key="loc_seed", bind="query-params")
    st.caption(f"Box targets: (x, y, w, h) = centre and size of the true box, divided by {loc.CANVAS}. Adam, learning "
               f"rate 0.003 decayed along a cosine. Scored on {loc.HELD_OUT} held-out canvases of digits never "
               f"trained on. Each run stops by itself after {TIME_LIMIT:.0f} s.")

    def run():
        config = loc.LocalisationConfig(steps=int(steps), box_weight=float(weight), box_loss=kind, seed=int(seed)).validate()
        return lambda stop: loc.train_localiser(config, stop.is_set)

    training_panel.train_buttons(JOB, "loc", run, TIME_LIMIT)


def live_training(s: jobs.JobSnapshot, last: loc.LocalisationProgress) -> None:
    """Both losses and the held-out scores (inside ``training_panel.live``'s fragment)."""
    m = st.columns(4)
    m[0].metric("Step", f"{last.step} / {last.total_steps}")
    m[1].metric("Held-out class accuracy", f"{last.test_accuracy:.1%}", help="Chance: 10 %.")
    m[2].metric("Held-out mean IoU", f"{last.test_iou:.2f}", help="Intersection over union of predicted and true box.")
    m[3].metric("Time", f"{s.elapsed:.0f} s", help=f"status: {s.status}")
    if len(last.curve) > 1:
        st.plotly_chart(views.curves_figure(last.curve, last.box_weight, last.total_steps), key="loc_curves")
    if not s.running:
        st.success(f"{s.status.capitalize()} after {last.step} steps ({s.elapsed:.1f} s): accuracy "
                   f"{last.test_accuracy:.1%}, mean IoU {last.test_iou:.2f} on the held-out canvases.")


def predictions_view(net, key: str) -> None:
    """Section 3: the held-out scores and predictions on new canvases."""
    st.subheader("3 · New canvases")
    ev = views.held_out(net, key)
    c = st.columns(3)
    c[0].metric("Class accuracy (500 held-out)", f"{ev.accuracy:.1%}", help="Chance: 10 %.")
    c[1].metric("Mean IoU", f"{ev.mean_iou:.2f}")
    c[2].metric("Boxes with IoU ≥ 0.5", f"{ev.hit_rate:.0%}")
    seed = int(st.number_input("Canvas seed", 0, 99999, 1, key="loc_canvas_seed", bind="query-params",
                               help="Another seed, other canvases (the network does not change)."))
    shown = views.new_canvases(net, key, seed)
    st.image(shown.picture, caption="Green: the true box. Orange: the predicted box and class. "
             + " | ".join(f"{i + 1}: {t}" for i, t in enumerate(shown.captions)))
    st.plotly_chart(views.iou_histogram(ev.ious), key="loc_iou_hist")


def drawing_view(net, key: str) -> None:
    """Section 4: a digit the student draws, anywhere and of any size."""
    st.subheader("4 · Draw a digit anywhere")
    left, right = st.columns([1, 1])
    with left:
        st.caption("Draw one digit, anywhere on the square, of any size (white on black, like the canvases).")
        result = drawing_canvas("loc_canvas", 256, 12)
    if result is None or result.image_data is None:
        return
    try:
        drawing = loc.read_drawing(result.image_data)
    except ValueError as exc:
        st.info(str(exc))
        return
    answer = views.drawn(net, key, drawing)
    with right:
        st.image(answer.picture, caption="Green: the box of your ink. Orange: the network's box.")
        p = answer.prediction
        st.markdown(f"### It says **{p.labels[0]}** ({p.confidence[0]:.0%}), IoU {answer.iou:.2f}")
    st.plotly_chart(probability_bars([str(d) for d in range(10)], p.probabilities[0]), key="loc_probs")


data_view()
training_controls()
training_panel.live(JOB, live_training, waiting="Press **Train**: both losses are plotted here while the network learns.",
                    starting="Starting… (loading the digits, building the network)")  # after the buttons
net, record, key = views.trained_localiser(JOB)
st.divider()
if net is None:
    st.info("Train the network first (section 2); then it finds digits on new canvases and on one you draw.")
else:
    st.caption(f"Using the weights of step {record.step}.")
    with friendly_errors():
        predictions_view(net, key)
        drawing_view(net, key)
