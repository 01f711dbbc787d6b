"""The notebook's ipywidgets surface: the feature explorer (``explorer.py``) and the one
progress display of the magics' long waits (``progress.py``).

A surface like ``magics/``: it calls the core and draws; no core module imports it
(import-linter's contract). Every widget display carries a text/plain and text/html
fallback for places no widget renders (papermill, nbconvert, a notebook saved and
reopened without its kernel).
"""
