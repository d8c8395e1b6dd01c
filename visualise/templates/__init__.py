"""The view page template, shipped as package data."""
