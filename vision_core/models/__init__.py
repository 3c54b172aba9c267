"""Models: one registry (``_api``), weights and devices, and every network definition the app runs.

``get_model(name)`` builds a registered model on the best device in eval mode; the UI layer caches
it once per process. Network definitions live one per module (``lenet``, ``vgg16``, ``darknet``,
``blocks`` …); runtimes for ONNX and TFLite files in ``tflite``.
"""

from vision_core.models._api import *  # noqa: F401,F403
from vision_core.models._api import __all__  # noqa: F401
