"""The domain at the root: plans, indicators, measures, tasks, the KPI framework, periods, the
clock, deadlines, the vocabulary and Vietnamese text helpers. Imports nothing of the project;
every other package builds on it."""
