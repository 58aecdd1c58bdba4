"""Shape data: the procedural set, mesh folders, and the preprocessing cache."""
