"""actions: forms (see CONVENTIONS.md for what belongs here)."""
