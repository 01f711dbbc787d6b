"""Every MLflow tag key jupyter-mlops writes or reads, in one place.

They live on MLflow's own runs, registered model versions and experiments, so MLflow's UI
and ``MlflowClient`` show them; a key renamed here is renamed for every area at once.
"""

from __future__ import annotations

# a run: how it was tracked
TRACKED = "mlops.tracked"
EXECUTION_COUNT = "mlops.execution_count"
PYTHON_VERSION = "mlops.python"
PACKAGE_VERSION_PREFIX = "mlops.version."  # + a distribution's name
GIT_DIRTY = "mlops.git.dirty"
# an experiment: the metric its runs are compared by
PRIMARY_METRIC = "mlops.primary_metric"
# a run: the job run that made it (pipelines), and its job, version and stage
JOB = "mlops.job"
JOB_VERSION = "mlops.job.version"
JOB_STAGE = "mlops.job.stage"
JOB_RUN = "mlops.job.run"
# a dataset input of a run (datasets lineage)
DATASET = "mlops.dataset"
DATASET_VERSION = "mlops.version"
DATASET_OBJECT = "mlops.object_id"
# a run's notebook frozen for a registered version (reviews)
NOTEBOOK_SNAPSHOT = "mlops.notebook.snapshot"
# a registered model version: who registered it, and how that is known
REGISTERED_BY = "mlops.registered_by"
REGISTERED_BY_SOURCE = "mlops.registered_by_source"
