"""Frames for the monitoring tests: numerical and categorical columns, some of them shifted."""

from __future__ import annotations

import numpy as np
import pandas as pd


def frames(
    rows: int = 400, numeric: int = 4, categorical: int = 2, shifted: int = 2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A reference and a current frame; the first ``shifted`` numeric columns and the first
    categorical column move clearly in the current one, the others do not."""
    rng = np.random.default_rng(seed)

    def side(shift: float) -> pd.DataFrame:
        data: dict[str, object] = {}
        for i in range(numeric):
            data[f"x{i}"] = rng.normal(shift if i < shifted else 0.0, 1.0, rows)
        for j in range(categorical):
            weights = [0.1, 0.2, 0.7] if shift and j == 0 else [0.4, 0.3, 0.3]
            data[f"c{j}"] = rng.choice(["red", "green", "blue"], rows, p=weights)
        return pd.DataFrame(data)

    return side(0.0), side(1.5)


def with_model(
    frame: pd.DataFrame, accuracy: float, seed: int = 0, binary_probability: bool = False
) -> pd.DataFrame:
    """``frame`` with a 0/1 label ``y`` and a prediction ``pred`` right ``accuracy`` of the time
    (or ``proba``, a probability of 1 on the right side of 0.5 as often)."""
    rng = np.random.default_rng(seed)
    out = frame.copy()
    y = rng.integers(0, 2, len(frame))
    right = rng.random(len(frame)) < accuracy
    pred = np.where(right, y, 1 - y)
    out["y"] = y
    if binary_probability:
        out["proba"] = np.where(pred == 1, 0.5 + rng.random(len(y)) / 2, rng.random(len(y)) / 2.01)
    else:
        out["pred"] = pred
    return out
