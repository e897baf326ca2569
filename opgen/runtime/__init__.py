"""Companion runtime: loads compiled op packages and plays the backend side of their C interface."""
