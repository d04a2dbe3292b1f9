"""Models for the oversight domain."""
