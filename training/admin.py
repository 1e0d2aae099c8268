"""training: admin (see CONVENTIONS.md for what belongs here)."""
