"""Speed benchmarks: each compares jupyter-mlops with what a user would otherwise use, as a
ratio measured in one run on the same store. Run ``python -m benchmarks``."""
