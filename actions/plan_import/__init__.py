"""Importing a plan as its partnership wrote it: timescales in words, leads as people name them (docs/actions.md)."""
