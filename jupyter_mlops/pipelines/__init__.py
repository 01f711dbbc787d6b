"""Jobs and pipelines: notebooks promoted to parameterized, scheduled papermill runs.

Core only (no Jupyter imports). ``parameters.py`` reads a notebook's papermill parameters
cell and validates the values given to a run; ``schedule.py`` evaluates cron schedules in an
IANA timezone with an explicit daylight-saving policy.
"""
