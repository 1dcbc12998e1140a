"""Turning source files into indexed, embedded chunks."""
