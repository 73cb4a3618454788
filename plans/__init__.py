"""The plan domain at the bottom of the code: imports nothing of ours (issue 9 moves the model here)."""
