"""Embedded asset store: real pretrained files that travel inside PyPI packages (see ``store``)."""

from vision_core.assets.store import *  # noqa: F401,F403
from vision_core.assets.store import FETCH_COMMAND, __all__, main, sha256_file  # noqa: F401
