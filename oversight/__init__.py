"""Oversight: quarterly joint reviews, severe indicators, severe-and-persistent flags and Non-Compliance Notifications."""
