"""One short fixed-seed training of the localiser, shared by every test of the localisation package.

``records``: every progress record of a 400-step run, seed 0 (the page's defaults otherwise: λ = 10, L2);
``trained``: the localiser after the run.
"""

from __future__ import annotations

from tests.conftest import recorded_run
from vision_core.localisation import LocalisationConfig, localiser_from, train_localiser

STEPS = 400

records, trained = recorded_run(lambda: train_localiser(LocalisationConfig(steps=STEPS, eval_every=100, seed=0)),
                                localiser_from)
