"""Publication: disclosure control, open data, the public dashboard and the annual report."""
