"""The ImageNet challenge (ILSVRC) classification results: the winning top-5 error by year, as published.

Top-5 error: the share of test images whose true class is not among the five classes a system names first
(1000 classes, 100,000 test images). Numbers are percentages as the organisers published them; each
entry says where it comes from. ``HUMAN_TOP5`` is the one human estimate the lecture's source gives.

Sources: O. Russakovsky et al., "ImageNet Large Scale Visual Recognition Challenge", IJCV 115(3),
211–252, 2015 (results 2010–2014 and the human study); K. He et al., "Deep Residual Learning for Image
Recognition", CVPR 2016 (2015); the ILSVRC 2016 and 2017 results pages of image-net.org; J. Hu et al.,
"Squeeze-and-Excitation Networks", CVPR 2018 (2017).
"""

from __future__ import annotations

from dataclasses import dataclass

from vision_core.errors import BadInput

__all__ = ["HUMAN_TOP5", "ILSVRC", "IlsvrcResult", "ilsvrc_winners", "improvement"]

_RUSSAKOVSKY = "Russakovsky et al., IJCV 2015, classification results table"


@dataclass(frozen=True)
class IlsvrcResult:
    """One classification entry: ``year``, ``team``, ``system`` (the network or method), ``top5`` error in %,
    ``place`` (1 = winner), ``deep`` (a convolutional network), ``note`` and ``source``."""

    year: int
    team: str
    system: str
    top5: float
    place: int
    deep: bool
    source: str
    note: str = ""

    @property
    def label(self) -> str:
        return self.system if self.system == self.team else f"{self.system} ({self.team})"


ILSVRC: tuple[IlsvrcResult, ...] = (
    IlsvrcResult(2010, "NEC-UIUC", "SIFT + LBP, sparse coding, SVMs", 28.2, 1, False, _RUSSAKOVSKY,
                 "Lin et al.: hand-made features, the first challenge's winner (0.28191)."),
    IlsvrcResult(2011, "XRCE", "Fisher vectors + linear SVMs", 25.8, 1, False, _RUSSAKOVSKY,
                 "Xerox Research Centre Europe, Perronnin et al. (0.25770)."),
    IlsvrcResult(2012, "SuperVision", "AlexNet", 16.4, 1, True, _RUSSAKOVSKY,
                 "Krizhevsky, Sutskever & Hinton, trained on the challenge's data (0.16422); their entry also "
                 "pre-trained on ImageNet Fall 2011 scored 15.3 % (0.15315)."),
    IlsvrcResult(2013, "Clarifai", "ZFNet", 11.7, 1, True, _RUSSAKOVSKY,
                 "Zeiler & Fergus's network, challenge data only (0.11743; 11.2 % with outside data)."),
    IlsvrcResult(2014, "GoogLeNet", "GoogLeNet", 6.7, 1, True, _RUSSAKOVSKY,
                 "Szegedy et al., Inception modules (0.06656)."),
    IlsvrcResult(2014, "VGG", "VGG", 7.3, 2, True, _RUSSAKOVSKY,
                 "Simonyan & Zisserman, second place (0.07325); the lecture's “2nd place ILSVRC 2014”."),
    IlsvrcResult(2015, "MSRA", "ResNet", 3.57, 1, True, "He et al., CVPR 2016, Table 5 (ILSVRC 2015 test set)",
                 "He, Zhang, Ren & Sun, an ensemble of residual networks up to 152 layers."),
    IlsvrcResult(2016, "Trimps-Soushen", "Trimps-Soushen", 2.99, 1, True, "image-net.org, ILSVRC 2016 results",
                 "An ensemble of Inception, Inception-ResNet, ResNet and Wide ResNet models (0.02991)."),
    IlsvrcResult(2017, "WMW", "SENet", 2.25, 1, True, "Hu et al., CVPR 2018; image-net.org, ILSVRC 2017 results",
                 "Squeeze-and-excitation networks, the last ILSVRC classification challenge (0.02251)."),
)
"""Every winner 2010–2017, and VGG (second in 2014, as the lecture tells it)."""

HUMAN_TOP5 = 5.1
"""Top-5 error of a trained human annotator (A. Karpathy) on 1500 test images, in Russakovsky et al., IJCV 2015."""


def ilsvrc_winners() -> list[IlsvrcResult]:
    """The winning entry of each year, oldest first."""
    return [r for r in ILSVRC if r.place == 1]


def improvement(before: int, after: int) -> float:
    """Percentage points the winning top-5 error fell from year ``before`` to year ``after``."""
    by_year = {r.year: r.top5 for r in ilsvrc_winners()}
    missing = [y for y in (before, after) if y not in by_year]
    if missing:
        raise BadInput(f"No ILSVRC winner for {missing[0]}. Years: {', '.join(map(str, sorted(by_year)))}.")
    return round(by_year[before] - by_year[after], 2)
