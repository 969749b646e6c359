"""Interfaces: the command line and the renderings (text, Markdown, JSON); no legal logic here."""
