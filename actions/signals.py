"""Signals other apps may listen to without actions knowing them (notifications sits above actions)."""

from django.dispatch import Signal

# Sent after commit when a Board report has been rendered: kwargs report (a BoardReport).
board_report_ready = Signal()
