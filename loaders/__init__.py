"""Loaders: read the plan files and the units' Excel sheets, normalise and validate them."""
