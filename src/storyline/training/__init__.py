"""Training code for storyline's learned parts; never imported by the runtime."""
