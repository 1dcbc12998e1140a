"""Extractive answering: reading, scoring, fit, composition and the engine."""
