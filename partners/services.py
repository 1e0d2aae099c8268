"""partners: services (see CONVENTIONS.md for what belongs here)."""
