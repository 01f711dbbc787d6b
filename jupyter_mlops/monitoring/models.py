"""The drift contract: one result per column and one verdict for the dataset."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# How Evidently's default type detection classifies a column (read from the current data).
# "numerical" and "categorical" are tested; the others are reported and not tested.
ColumnKind = Literal["numerical", "categorical", "text", "datetime", "list", "unknown"]

# The registered names of Evidently's statistical tests that its defaults pick.
StatTestName = Literal["ks", "chisquare", "z", "wasserstein", "jensenshannon"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnDrift(_Model):
    """One column's drift check, or why it could not be checked (``drifted`` is then None)."""

    column: str
    kind: ColumnKind | None = None  # None when the column is missing from one side
    test: StatTestName | None = None
    test_label: str | None = None  # Evidently's display name of the test, e.g. "K-S p_value"
    statistic: Literal["p_value", "distance"] | None = None
    score: float | None = None
    threshold: float | None = None
    drifted: bool | None = None
    message: str
    reference_values: int = 0  # values used: not null and finite
    current_values: int = 0
    distinct_values: int | None = None  # over both sides, as the choice of test counts them

    @property
    def tested(self) -> bool:
        return self.drifted is not None


class DatasetDrift(_Model):
    """The dataset verdict: drift when at least ``drift_share`` of the tested columns drifted."""

    drift_share: float = Field(gt=0, le=1)
    number_of_columns: int  # columns tested
    number_of_drifted_columns: int
    share_of_drifted_columns: float | None  # None when no column could be tested
    drifted: bool | None
    columns_not_tested: list[str] = []
    message: str


class DriftReport(_Model):
    dataset: DatasetDrift
    columns: list[ColumnDrift]
    reference_rows: int
    current_rows: int

    def column(self, name: str) -> ColumnDrift:
        for entry in self.columns:
            if entry.column == name:
                return entry
        raise KeyError(name)
