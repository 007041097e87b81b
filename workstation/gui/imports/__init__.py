"""The Imports area: past batches, and the step-by-step import of one file."""
