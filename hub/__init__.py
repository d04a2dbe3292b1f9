"""The victims' hub: a victim sees their own case and journey through their Justice Journey Number."""
