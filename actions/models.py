"""actions: models (see CONVENTIONS.md for what belongs here)."""
