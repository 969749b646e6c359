"""Reasoning layer: the rule book, its compilation and the pipeline that turns facts into a Decision."""
