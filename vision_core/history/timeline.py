"""The history lecture 000 tells, as data: events from the first photograph (1826) to DenseNet (2017).

Each ``Event`` has its ``year``, a ``title``, who made it and where it was published (``source``), the
lecture's own words where deck 000 has them (``words``, quoted as the slides write them, some in
Portuguese, with an English ``gloss``), one sentence of context where the deck is silent (``context``),
and ``page``: the URL path of the app page that teaches it (``ui.catalog``'s ``PageInfo.url_path``).
``lane`` groups events into rows of the timeline. Nothing here imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

from vision_core.checks import check_choice

__all__ = ["EVENTS", "LANES", "Event", "event", "events_in"]

LANES: tuple[str, ...] = ("Images", "Brains", "Classic computer vision", "Neural networks", "Deep CNNs", "Beyond classification")
"""The timeline's rows, top to bottom."""


@dataclass(frozen=True)
class Event:
    """One moment of the history: ``key`` is its stable id (used in links), ``year`` when it was published,
    ``short`` the label on the timeline, ``title`` the heading."""

    key: str
    year: int
    short: str
    title: str
    lane: str
    source: str
    page: str
    words: str = ""
    gloss: str = ""
    context: str = ""

    @property
    def told(self) -> str:
        """What the timeline's hover shows: the lecture's words (with the gloss), else the context."""
        if self.words:
            return f"“{self.words}”" + (f" ({self.gloss})" if self.gloss else "")
        return self.context


EVENTS: tuple[Event, ...] = (
    Event("niepce", 1826, "Niépce", "The first photograph", "Images",
          "Joseph Nicéphore Niépce, “View from the Window at Le Gras”, heliography on a pewter plate", "digital_images",
          context="About eight hours of exposure for one view of rooftops; today a sensor samples and quantises the "
                  "same light into pixels in a millisecond."),
    Event("hubel_wiesel", 1959, "Hubel & Wiesel", "Receptive fields in the visual cortex", "Brains",
          "D. Hubel & T. Wiesel, J. Physiology 1959 (“Receptive fields of single neurones in the cat's striate "
          "cortex”) and 1962", "convolution",
          context="Neurons that answer to an edge at one orientation in one small patch of the visual field (simple "
                  "cells) and complex cells that pool them: the pattern of convolution and pooling."),
    Event("summer_vision", 1966, "MIT summer project", "The summer vision project", "Classic computer vision",
          "S. Papert, MIT AI Memo 100, 1966", "classic_cv",
          context="A summer's project to have a computer describe what a camera sees: figure from ground, objects "
                  "named. The lecture's “Why image processing/analysis is hard?” lists why it took fifty years."),
    Event("nevatia_binford", 1977, "Nevatia & Binford", "Template matching is not going to make it", "Classic computer vision",
          "R. Nevatia & T. Binford, 1977 (slide: A. Torralba)", "classic_cv",
          words="These techniques are inadequate for three-dimensional scene analysis for many reasons, such as "
                "occlusion, changes in viewing angle, and articulation of parts."),
    Event("neocognitron", 1980, "Neocognitron", "The Neocognitron", "Neural networks",
          "K. Fukushima, Biological Cybernetics 36, 1980", "convolution",
          words="Use of convolution in neural nets is not so recent: Neocognitron – Fukushima",
          context="The slide dates it 1990; the paper is from 1980."),
    Event("lenet", 1989, "LeNet", "LeNet: convolution learned by backpropagation", "Neural networks",
          "Y. LeCun et al., Neural Computation 1989; “Gradient-based learning applied to document recognition”, "
          "Proc. IEEE 1998 (LeNet-5)", "train_cnn",
          words="LeNet - Yan Lecun, 1998, used with MNIST",
          context="The kernels are no longer designed by hand: they are learned from data."),
    Event("sift", 1999, "SIFT", "SIFT", "Classic computer vision",
          "D. Lowe, ICCV 1999; “Distinctive Image Features from Scale-Invariant Keypoints”, IJCV 60(2), 2004",
          "classic_cv", words="Registro de imagens, detecção de objetos via casamento de keypoints",
          gloss="image registration, object detection by matching keypoints"),
    Event("viola_jones", 2001, "Viola–Jones", "Viola–Jones face detection", "Classic computer vision",
          "P. Viola & M. Jones, “Rapid object detection using a boosted cascade of simple features”, CVPR 2001",
          "classic_cv", words="Cascade of classifiers",
          context="Haar-like features on an integral image, chosen by AdaBoost, in a cascade that rejects most "
                  "windows after a few features."),
    Event("bovw", 2004, "Bag of words", "Bag of visual words", "Classic computer vision",
          "G. Csurka et al., “Visual categorization with bags of keypoints”, ECCV workshop 2004", "classic_cv",
          words="Criar um dicionário (padrões visuais) a partir do conjunto de imagens de treinamento",
          gloss="build a dictionary of visual patterns from the training images"),
    Event("dbn", 2006, "Deep belief nets", "Deep belief nets", "Neural networks",
          "G. Hinton, S. Osindero & Y. W. Teh, “A Fast Learning Algorithm for Deep Belief Nets”, Neural "
          "Computation 18(7), 2006", "train_cnn",
          words="a many-layered feedforward neural network could be effectively pre-trained one layer at a time, "
                "treating each layer in turn as an unsupervised restricted Boltzmann machine, then fine-tuning it "
                "using supervised backpropagation"),
    Event("imagenet", 2009, "ImageNet", "ImageNet", "Images",
          "J. Deng, W. Dong, R. Socher, L.-J. Li, K. Li & L. Fei-Fei, CVPR 2009", "classify",
          words="22K categories and 14M images"),
    Event("ilsvrc", 2010, "ILSVRC", "The ImageNet challenge (ILSVRC)", "Images",
          "O. Russakovsky et al., IJCV 2015", "classify",
          words="The Image Classification Challenge: 1,000 object classes, 1,431,167 images"),
    Event("alexnet", 2012, "AlexNet", "AlexNet wins ImageNet", "Deep CNNs",
          "A. Krizhevsky, I. Sutskever & G. Hinton, NIPS 2012", "architectures",
          words="won the large-scale ImageNet competition by a significant margin over shallow machine learning "
                "methods"),
    Event("zfnet", 2013, "ZFNet", "Seeing what a CNN learned", "Deep CNNs",
          "M. Zeiler & R. Fergus, “Visualizing and Understanding Convolutional Networks”, ECCV 2014 (ILSVRC 2013)",
          "inside_network", words="Zerar uma região da imagem e ver como isso afeta o score de classificação",
          gloss="blank out a region of the image and see how it changes the class score"),
    Event("vgg", 2014, "VGG", "VGG: only 3×3 convolutions", "Deep CNNs",
          "K. Simonyan & A. Zisserman, arXiv 1409.1556, 2014", "architectures",
          words="VGGNet (2nd place ILSVRC 2014): multiple layers (ex., 16 e 19), only 3x3 convolutions"),
    Event("googlenet", 2014, "GoogLeNet", "GoogLeNet: Inception modules", "Deep CNNs",
          "C. Szegedy et al., “Going deeper with convolutions”, CVPR 2015", "architectures",
          words="winner of ILSVRC 2014, inception layers, 7M network parameters"),
    Event("gan", 2014, "GAN", "Generative adversarial networks", "Beyond classification",
          "I. Goodfellow et al., “Generative Adversarial Nets”, NIPS 2014", "gan_faces",
          words="Esses rostos não existem. Foram gerados por computador!",
          gloss="these faces do not exist: a computer generated them"),
    Event("fcn", 2015, "FCN", "Fully convolutional segmentation", "Beyond classification",
          "J. Long, E. Shelhamer & T. Darrell, CVPR 2015", "segmentation",
          words="First end-to-end network for semantic segmentation"),
    Event("faster_rcnn", 2015, "Faster R-CNN", "Faster R-CNN", "Beyond classification",
          "S. Ren, K. He, R. Girshick & J. Sun, NIPS 2015", "detection",
          words="Existem os modelos two-step (ex., Faster R-CNN) e single shot (SSD ou YOLO)",
          gloss="there are two-step models (e.g. Faster R-CNN) and single-shot ones (SSD or YOLO)"),
    Event("style", 2015, "Style transfer", "Neural style transfer", "Beyond classification",
          "L. Gatys, A. Ecker & M. Bethge, “A Neural Algorithm of Artistic Style”, arXiv 1508.06576, 2015",
          "style_transfer", words="Artistic Style Transfer with Convolutional Neural Network"),
    Event("resnet", 2015, "ResNet", "ResNet: learning the residual", "Deep CNNs",
          "K. He, X. Zhang, S. Ren & J. Sun, CVPR 2016", "architectures",
          words="winner of ILSVRC 2015, 25.5M network parameters, residual block, vanishing gradient"),
    Event("densenet", 2017, "DenseNet", "DenseNet", "Deep CNNs",
          "G. Huang, Z. Liu, L. van der Maaten & K. Weinberger, “Densely Connected Convolutional Networks”, CVPR 2017",
          "architectures",
          words="A deep DenseNet with three dense blocks. The layers between two adjacent blocks are referred to as "
                "transition layers"),
)
"""The lecture's history, oldest first."""


def event(key: str) -> Event:
    """The event called ``key``; ``BadInput`` lists the keys."""
    check_choice(key, [e.key for e in EVENTS], "event")
    return next(e for e in EVENTS if e.key == key)


def events_in(lane: str) -> list[Event]:
    """The events of one row of the timeline, oldest first."""
    check_choice(lane, LANES, "timeline row")
    return [e for e in EVENTS if e.lane == lane]
