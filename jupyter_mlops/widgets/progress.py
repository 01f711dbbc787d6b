"""One progress display for every long wait of the magics: a live ipywidgets bar where a
frontend renders widgets, plain text lines where none does.

Core functions stay Jupyter-free: they take ``progress: jupyter_mlops.progress.Progress``
(``progress(done, total, label)``); a magic passes a :class:`ProgressDisplay`::

    from ..widgets.progress import progress

    with progress("%features join") as update:
        result = mlops.features.training_set(entity_df, service="eta", progress=update)

or, where a ``with`` block does not fit, ``update = progress_callback("%mlops run")`` and
``update.finish()`` (``finish(exc)`` after a failure).

Which display (:func:`display_mode`), first match wins:

1. ``JUPYTER_MLOPS_PROGRESS=widget`` or ``=text`` forces it;
2. text outside an IPython kernel (a terminal IPython, a script, the CLI);
3. text in a step of one of this project's jobs (``job_context``: the worker starts each
   step's kernel under papermill with that environment), so its log shows the lines;
4. text if ipywidgets is not installed;
5. otherwise a widget.

Why not recognise papermill or nbconvert themselves: from inside the kernel they cannot be
told apart from a frontend. They start an ordinary ipykernel and set no variable (papermill's
maintainers say so: it is not detectable from inside the notebook), and nbclient answers
widget comm messages as a frontend's widget manager does: silently (it records their state
in the notebook). So a widget display never depends on being seen: it is displayed as one
bundle of the widget view *and* ``text/plain`` + ``text/html``, and when the work ends that
output is replaced (``update_display_data``, which nbclient applies to the stored output)
by the final state in text. A notebook executed by someone's own papermill run thus says
how each wait ended; ``JUPYTER_MLOPS_PROGRESS=text`` in that run's environment (papermill's
kernel inherits it) prints the lines as well.

Text lines: one when a phase (label) starts, one when it reaches its total, one at most
every ``every`` seconds between, and a last one saying how the work ended.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from ..job_context import job_context

MODE_ENV = "JUPYTER_MLOPS_PROGRESS"
Mode = Literal["widget", "text"]
TEXT_EVERY_S = 5.0  # text lines between phase changes: at most one per this many seconds
WIDGET_EVERY_S = 0.1  # bar updates sent to the frontend: at most one per this many seconds
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_SIZES = ("B", "KiB", "MiB", "GiB", "TiB")


def display_mode() -> Mode:
    """How a progress display shows here: ``widget`` or ``text`` (see the module's doc)."""
    forced = os.environ.get(MODE_ENV, "").strip().lower()
    if forced in ("widget", "text"):
        return forced  # type: ignore[return-value]
    try:
        from IPython import get_ipython
    except ImportError:
        return "text"
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return "text"
    if job_context() is not None:
        return "text"
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return "text"
    return "widget"


def size_text(count: float) -> str:
    """``512 B``, ``1.5 MiB``, ``2.0 GiB``."""
    for unit in _SIZES[:-1]:
        if abs(count) < 1024:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} {_SIZES[-1]}"


def _seconds(elapsed: float) -> str:
    return f"{elapsed:.1f}s" if elapsed < 60 else f"{int(elapsed // 60)}m {int(elapsed % 60)}s"


class ProgressDisplay:
    """A progress callback (``display(done, total, label)``) drawn as a bar or as text.

    ``unit`` names what is counted (``"bytes"`` prints sizes); nothing is shown until the
    first call, so work that reports nothing shows nothing.
    """

    def __init__(
        self,
        title: str,
        *,
        unit: str = "",
        mode: Mode | None = None,
        every: float = TEXT_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.title, self.unit, self.every = title, unit, every
        self.mode: Mode = mode or display_mode()
        self._clock = clock
        self._started = clock()
        self.state: tuple[int, int, str] | None = None  # the last (done, total, label)
        self._drawn: tuple[int, int, str] | None = None
        self._drawn_at = float("-inf")
        self.bar: Any = None  # the widget's IntProgress, once shown
        self._box: Any = None
        self._text: Any = None
        self._handle: Any = None
        self.finished = False

    # -- what it says ------------------------------------------------------------------------
    def amount(self, done: int, total: int) -> str:
        """``3/10 (30%)``, ``12.0 MiB / 40.0 MiB (30%)``, ``3/10 rows (30%)``."""
        share = f" ({min(done / total, 1):.0%})" if total > 0 else ""
        if self.unit == "bytes":
            return f"{size_text(done)} / {size_text(total)}{share}"
        unit = f" {self.unit}" if self.unit else ""
        return f"{done:,}/{total:,}{unit}{share}"

    def line(self) -> str:
        """The current state in one line: ``TITLE: LABEL: AMOUNT``."""
        if self.state is None:
            return f"{self.title}: starting"
        done, total, label = self.state
        return f"{self.title}: {label}: {self.amount(done, total)}"

    def ending(self, error: BaseException | None = None) -> str:
        """``done in 1.2s``, ``failed after 3.0s (Invalid: …)``, ``interrupted after …``."""
        took = _seconds(self._clock() - self._started)
        if error is None:
            return f"done in {took}"
        why = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
        detail = f" ({type(error).__name__}: {error})" if str(error) else ""
        return f"{why} after {took}{detail}"

    # -- the callback ------------------------------------------------------------------------
    def __call__(self, done: int, total: int, label: str) -> None:
        self.state = (int(done), int(total), label)
        now = self._clock()
        new_phase = self._drawn is None or label != self._drawn[2]
        reached = total > 0 and done >= total and self.state != self._drawn
        every = WIDGET_EVERY_S if self.mode == "widget" else self.every
        if not (new_phase or reached or now - self._drawn_at >= every):
            return
        self._drawn, self._drawn_at = self.state, now
        if self.mode == "widget":
            self._draw_widget()
        else:
            print(self.line(), flush=True)

    def finish(self, error: BaseException | None = None) -> None:
        """Say how the work ended (once; nothing if it never reported)."""
        if self.finished or self.state is None:
            self.finished = True
            return
        self.finished = True
        ending = self.ending(error)
        final = f"{self.line()} — {ending}"
        if self.mode == "text":
            said = self._drawn == self.state  # the last state's line is printed already
            print(f"{self.title}: {ending}" if said else final, flush=True)
            return
        self.bar.bar_style = "danger" if error is not None else "success"
        if error is None:
            self.bar.value = self.bar.max
        self._text.value = html.escape(final.removeprefix(f"{self.title}: "))
        if self._handle is not None:
            self._handle.update(self._bundle(final), raw=True)

    # -- the widget --------------------------------------------------------------------------
    def _bundle(self, text: str) -> dict[str, Any]:
        """The widget's view with ``text`` as its plain-text and HTML fallbacks."""
        view = self._box._repr_mimebundle_().get(WIDGET_VIEW)
        bundle: dict[str, Any] = {
            "text/plain": text,
            "text/html": f"<pre class='jp-mlops-progress'>{html.escape(text)}</pre>",
        }
        if view is not None:
            bundle[WIDGET_VIEW] = view
        return bundle

    def _draw_widget(self) -> None:
        assert self.state is not None
        done, total, label = self.state
        if self.bar is None:
            self._show()
        with self.bar.hold_sync():
            self.bar.max = max(total, 1)
            self.bar.value = min(max(done, 0), self.bar.max)
        self._text.value = html.escape(f"{label}: {self.amount(done, total)}")

    def _show(self) -> None:
        from IPython.display import display
        from ipywidgets import HTML, HBox, IntProgress, Layout

        self.bar = IntProgress(min=0, max=1, value=0, layout=Layout(width="30em"))
        self._text = HTML()
        title = HTML(f"<b>{html.escape(self.title)}</b>")
        self._box = HBox([title, self.bar, self._text])
        self._handle = display(self._bundle(self.line()), raw=True, display_id=True)


def progress_callback(title: str, *, unit: str = "", mode: Mode | None = None) -> ProgressDisplay:
    """A progress display to pass as a core function's ``progress=``; call its
    ``finish()`` (``finish(exc)`` after a failure) when the work ended."""
    return ProgressDisplay(title, unit=unit, mode=mode)


@contextmanager
def progress(title: str, *, unit: str = "", mode: Mode | None = None) -> Iterator[ProgressDisplay]:
    """``with progress(title) as update:`` … ``progress=update`` …: finished on the way
    out, saying whether the work was done, failed or interrupted."""
    shown = ProgressDisplay(title, unit=unit, mode=mode)
    try:
        yield shown
    except BaseException as exc:
        shown.finish(exc)
        raise
    shown.finish()
