"""Models for the hub domain."""
