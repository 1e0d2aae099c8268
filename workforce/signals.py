"""Signals workforce sends for writes that Django's model signals do not announce."""

from django.dispatch import Signal

# Sent after bulk writes to people's accounts or staff profiles (the staff import), which send no post_save:
# receivers that cache anything derived from people's names or profiles make it stale (actions.receivers).
people_bulk_changed = Signal()
