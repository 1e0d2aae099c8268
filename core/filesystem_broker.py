"""The embedded Celery broker: kombu's filesystem transport with messages that appear whole or not at all
(written under a hidden name, renamed into the queue, claimed by rename). docs/operations.md."""

import contextlib
import logging
import os
import uuid
from queue import Empty
from time import monotonic_ns
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)
UNREADABLE = "unreadable"


class Channel(filesystem.Channel):
    # kombu's filesystem Channel names the argument `payload` and its base class `message`: no name fits both.
    def _put(self, queue: str, payload: dict[str, Any], **kwargs: object) -> None:  # type: ignore[override]
        name = f"{monotonic_ns():020d}_{uuid.uuid4()}.{queue}.msg"  # padded: names sort in sending order
        partial = os.path.join(self.data_folder_out, f".{name}.part")  # never matches a queue's "<queue>.msg"
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, os.path.join(self.data_folder_out, name))
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise ChannelError(f"Cannot add a message to {self.data_folder_out!r}") from exc

    def _get(self, queue: str, timeout: float | None = None) -> dict[str, Any]:
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != wanted:
                continue
            claimed = os.path.join(self.processed_folder, name)
            try:
                os.rename(os.path.join(self.data_folder_in, name), claimed)
            except FileNotFoundError:
                continue  # another worker claimed it first
            except OSError as exc:
                raise ChannelError(f"Cannot claim {name!r}: the processed folder must be on the queue's "
                                   "filesystem") from exc
            try:
                with open(claimed, "rb") as file:
                    message: dict[str, Any] = loads(bytes_to_str(file.read()))
            except (OSError, ValueError):
                self._set_aside(claimed, name)
                continue
            if not self.store_processed:
                os.remove(claimed)
            return message
        raise Empty()

    def _set_aside(self, claimed: str, name: str) -> None:
        folder = os.path.join(self.processed_folder, UNREADABLE)
        os.makedirs(folder, exist_ok=True)
        with contextlib.suppress(OSError):
            os.replace(claimed, os.path.join(folder, name))
        logger.error("Unreadable message %s set aside in %s; the worker goes on", name, folder)


class Transport(filesystem.Transport):
    Channel = Channel
