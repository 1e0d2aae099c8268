"""workforce: selectors (see CONVENTIONS.md for what belongs here)."""
