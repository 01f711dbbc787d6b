"""The one progress display, in both modes: a live ipywidgets bar (its value reaches the
total, its output carries a text fallback replaced by the final state) and text lines."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from jupyter_mlops.job_context import RUN_ENV, STEP_ENV
from jupyter_mlops.widgets.progress import (
    MODE_ENV,
    WIDGET_VIEW,
    ProgressDisplay,
    display_mode,
    progress,
    size_text,
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_text_lines_at_each_phase_its_end_and_every_few_seconds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock = Clock()
    shown = ProgressDisplay("%dataset save big", unit="bytes", mode="text", every=5, clock=clock)
    size = 40 << 20
    shown(16 << 20, size, "hashing big.bin")  # a new phase: printed
    clock.now += 1
    shown(32 << 20, size, "hashing big.bin")  # a second later: not printed
    clock.now += 5
    shown(36 << 20, size, "hashing big.bin")  # five seconds after the last line: printed
    shown(size, size, "hashing big.bin")  # the phase's end: printed
    shown(size, size, "hashing big.bin")  # said already
    shown(size, size, "copying big.bin")
    clock.now += 0.5
    shown.finish()
    shown.finish()  # once
    assert capsys.readouterr().out.splitlines() == [
        "%dataset save big: hashing big.bin: 16.0 MiB / 40.0 MiB (40%)",
        "%dataset save big: hashing big.bin: 36.0 MiB / 40.0 MiB (90%)",
        "%dataset save big: hashing big.bin: 40.0 MiB / 40.0 MiB (100%)",
        "%dataset save big: copying big.bin: 40.0 MiB / 40.0 MiB (100%)",
        "%dataset save big: done in 6.5s",
    ]


def test_text_mode_says_a_failure_and_nothing_for_silent_work(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(ValueError, match="bad rows"), progress("join", mode="text") as update:
        update(1, 3, "joining view a")
        raise ValueError("bad rows")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "join: joining view a: 1/3 (33%)"
    assert lines[1].startswith("join: failed after ")  # where it stopped is said above
    assert lines[1].endswith("s (ValueError: bad rows)")
    with progress("quick", mode="text"):
        pass
    assert capsys.readouterr().out == ""


def test_widget_mode_the_bar_reaches_the_total_and_the_text_follows(
    mlops_shell: InteractiveShell,
) -> None:
    with capture_output() as out, progress("%features join", unit="rows", mode="widget") as bar:
        for done in range(0, 1001, 10):
            bar(done, 1000, "joining view driver_stats")
        assert (bar.bar.value, bar.bar.max) == (1000, 1000)
        assert bar._text.value == "joining view driver_stats: 1,000/1,000 rows (100%)"
    assert bar.bar.bar_style == "success"
    first, *updates = out.outputs
    assert set(first.data) == {WIDGET_VIEW, "text/plain", "text/html"}
    assert (
        first.data["text/plain"] == "%features join: joining view driver_stats: 0/1,000 rows (0%)"
    )
    assert updates, "the finished state replaces the output's text fallback"
    final = updates[-1]
    assert final.update and final.transient == first.transient  # the same display id
    assert final.data[WIDGET_VIEW] == first.data[WIDGET_VIEW]
    assert final.data["text/plain"].startswith(
        "%features join: joining view driver_stats: 1,000/1,000 rows (100%) — done in "
    )
    assert "— done in " in final.data["text/html"]


def test_widget_mode_a_failure_leaves_the_bar_where_it_stopped(
    mlops_shell: InteractiveShell,
) -> None:
    with capture_output() as out, pytest.raises(KeyboardInterrupt):  # noqa: SIM117
        with progress("%mlops run train", mode="widget") as bar:
            bar(2, 5, "step train (1 of 1), cells")
            raise KeyboardInterrupt
    assert (bar.bar.value, bar.bar.max, bar.bar.bar_style) == (2, 5, "danger")
    assert "— interrupted after " in out.outputs[-1].data["text/plain"]


def test_which_display(mlops_shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (MODE_ENV, RUN_ENV, STEP_ENV):
        monkeypatch.delenv(name, raising=False)
    assert display_mode() == "text"  # a terminal shell: no kernel, no frontend
    monkeypatch.setattr(mlops_shell, "kernel", object(), raising=False)
    assert display_mode() == "widget"  # a kernel: a bar, with its text fallback
    monkeypatch.setenv(RUN_ENV, "7")
    monkeypatch.setenv(STEP_ENV, "train")
    assert display_mode() == "text"  # a step of a job, run by papermill: lines in its log
    monkeypatch.setenv(MODE_ENV, "widget")
    assert display_mode() == "widget"
    monkeypatch.setenv(MODE_ENV, "TEXT")
    assert display_mode() == "text"


def test_sizes() -> None:
    assert [size_text(n) for n in (0, 1023, 1536, 5 << 30, 3 << 40)] == [
        "0 B",
        "1023 B",
        "1.5 KiB",
        "5.0 GiB",
        "3.0 TiB",
    ]
