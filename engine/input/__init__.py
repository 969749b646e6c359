"""Input layer: what users write (fact patterns, case files), read safely and checked."""
