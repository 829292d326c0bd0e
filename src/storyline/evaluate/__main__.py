"""``python -m storyline.evaluate summaries DATA...``: the evaluation CLI without the main app."""

from storyline.evaluate.cli import app

app(prog_name="python -m storyline.evaluate")
