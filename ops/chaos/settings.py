"""The chaos harness's settings: the bench's (production's, plus only what plain-http loopback needs:
config/settings/bench.py) with mail written to a folder the harness counts (ops/chaos/mailbox.py)."""

import faulthandler
import signal

from config.settings.bench import *  # noqa: F403

STACKS_SIGNAL = signal.SIGRTMIN + 3

EMAIL_BACKEND = "ops.chaos.mailbox.FolderBackend"
# Static files as production names them (hashed, from a manifest) but not compressed: compressing every file
# (brotli and gzip) takes most of a minute of CPU, and no fault here has anything to do with it.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}  # noqa: F405

# `kill -s RTMIN+3 <pid>` writes every thread's stack to that process's log: what a hung request waits on.
faulthandler.register(STACKS_SIGNAL, all_threads=True)
