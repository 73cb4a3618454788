"""The DuckDB store: one module owns the connection and the schema; everything reads and writes through it."""
