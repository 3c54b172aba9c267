"""Every challenge, registered in course order by importing the modules that define them (order matters)."""

from vision_core.challenges import kernels  # noqa: F401, I001 - convolution
from vision_core.challenges import sizes  # noqa: F401 - stride, padding and output size
from vision_core.challenges import networks  # noqa: F401 - architecture what-if
from vision_core.challenges import results  # noqa: F401 - inside the network, training, detection, GAN, style, classic
