"""Training code for the shipped models: run by hand or by bench scripts, never at run time.

Nothing under ``storyline`` outside this package imports it (an import-linter contract in
pyproject.toml): the runtime reads the JSON models these scripts write and needs no
scikit-learn. ``python -m storyline.training.summarize ../shared/data/mds/*/dev.jsonl`` retrains
the summarizer's models, ``python -m storyline.training.cluster
../shared/data/clustering/dev.jsonl`` the online clusterer's; ``bench/extraction.py`` retrains
the cleaner's line model.
"""
