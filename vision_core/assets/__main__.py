"""``python -m vision_core.assets fetch [NAME ...]`` / ``status``."""

import sys

from vision_core.assets.store import main

sys.exit(main())
