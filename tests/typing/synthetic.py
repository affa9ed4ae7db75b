"""Typed use of synthetic control and synthetic DiD; checked by ``mypy --strict tests/typing``."""

from __future__ import annotations

import numpy as np

from civicinnov import synthetic_control, synthetic_did
from civicinnov.evaluation import (
    LeaveOneOut,
    Panel,
    PlaceboTest,
    SyntheticControlResult,
    SyntheticDiDResult,
)

y = np.arange(24, dtype=float).reshape(4, 6) ** 1.1
panel = Panel.from_arrays(
    units=np.repeat(np.arange(4), 6),
    periods=np.tile(np.arange(2000, 2006), 4),
    outcome=y.ravel(),
    unit="incident",
    first_treated={0: 2004, 1: None, 2: None, 3: None},
)
sc: SyntheticControlResult = synthetic_control(panel, v=None, placebo=True)
weights: dict[object, float] = sc.donor_weights()
test: PlaceboTest | None = sc.placebo
loo: LeaveOneOut | None = sc.leave_one_out
p_value: float = sc.estimate.p_value
rows: tuple[tuple[int, float, float, float], ...] = sc.gap_table()
sdid: SyntheticDiDResult = synthetic_did(panel, se="jackknife", seed=None)
att: float = sdid.estimate.value
lam = sdid.time_weights
