"""Presentation helpers shared by the pages: formatting, colours, charts, cached data access."""
