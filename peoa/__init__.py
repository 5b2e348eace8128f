"""peoa."""
