"""What every app shares and nothing domain-specific (docs/architecture.md)."""
