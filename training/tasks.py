"""training: tasks (see CONVENTIONS.md for what belongs here)."""
