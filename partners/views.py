"""partners: views (see CONVENTIONS.md for what belongs here)."""
