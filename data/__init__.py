"""Bundled datasets, shipped inside the wheel as package data (found with importlib.resources)."""
