"""Analysis layer: many decisions at once (what-if, profiles, regression over the corpus)."""
