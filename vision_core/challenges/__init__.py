"""Challenges the app checks: a task on one page, scored from the student's own settings or result.

- ``_api``: ``Challenge``, ``Score``, the registry (``challenge``, ``challenge_ids``, ``by_page``).
- ``kernels``: convolution (a vertical-edge detector, a blur that keeps the brightness, which kernel made this?).
- ``sizes``: stride and padding (keep 28×28, a receptive field of 50 px with four layers).
- ``networks``: the architecture what-if editor (CIFAR-10 under 1 M parameters, AlexNet at half the cost).
- ``results``: inside the network, detection, training a CNN, a GAN, style transfer, classic CV.

This package sits above the topic packages: it may import them; nothing in vision_core imports it.
"""

from vision_core.challenges._api import Attempt, Challenge, Score, by_page, challenge, challenge_ids

__all__ = ["Attempt", "Challenge", "Score", "by_page", "challenge", "challenge_ids"]
