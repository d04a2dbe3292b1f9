"""Models for the publication domain."""
