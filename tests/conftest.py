"""Test configuration: the project's own pytest plugin provides the ``mlops_*`` fixtures."""

pytest_plugins = ["jupyter_mlops.pytest_plugin"]
