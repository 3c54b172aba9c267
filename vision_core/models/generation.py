"""Generators: the embedded 64×64 DCGAN face generator.

Registers ``dcgan_faces``; its input is a latent ``z ~ N(0, I)`` of 100 numbers.
"""

from __future__ import annotations

from vision_core.models._api import ModelSpec, Task, register
from vision_core.models.dcgan import NZ, load_dcgan
from vision_core.models.transforms import VectorInput

register(ModelSpec(name="dcgan_faces", task=Task.GENERATION, title="DCGAN face generator 64×64", loader=load_dcgan,
                   assets=("dcgan_faces",),
                   preprocessing=VectorInput(NZ, "z ~ N(0, I), {n}-d; output tanh → [0, 255]")))
