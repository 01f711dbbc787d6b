"""Dataset versioning: content-addressed versions of DataFrames, files and folders.

Core only (no Jupyter imports). The catalog lives in the state DB (``orm.py``), the bytes in
the workspace object store; ``store.py`` saves and loads versions.
"""
