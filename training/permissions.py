"""training: permissions (see CONVENTIONS.md for what belongs here)."""
