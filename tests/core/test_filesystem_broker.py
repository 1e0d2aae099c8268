"""The embedded broker (`make run`, a newcomer's `make test`): a message is read whole or not at all, a worker
that meets an unreadable one sets it aside and goes on, and under load from several processes nothing is lost."""

import json
import logging
from pathlib import Path

import pytest
from kombu import Connection

from bench import embedded_broker

BAD = f"{0:020d}_bad.celery.msg"


@pytest.fixture
def folders(tmp_path):
    for name in ("queue", "processed", "control"):
        (tmp_path / name).mkdir()
    return tmp_path


def channel(folders: Path, transport: str = "core.filesystem_broker:Transport"):
    connection = Connection("filesystem://localhost/", transport=transport, transport_options={
        "data_folder_in": str(folders / "queue"), "data_folder_out": str(folders / "queue"),
        "processed_folder": str(folders / "processed"), "control_folder": str(folders / "control"),
    })
    return connection.default_channel


def test_a_message_is_read_as_it_was_written(folders):
    chan = channel(folders)
    chan._put("celery", {"body": "hello"})
    assert chan._size("celery") == 1
    assert chan._get("celery") == {"body": "hello"}
    assert chan._size("celery") == 0
    assert not list((folders / "processed").iterdir())  # nothing left behind


def test_a_message_being_written_is_not_seen_until_it_is_whole(folders):
    """The race that stopped a worker ("JSONDecodeError: Expecting value: line 1 column 1"): kombu's transport
    creates the message under its final name, then writes it; a worker listing the folder in between read an empty
    file. Ours writes under a hidden name and renames, so a half-written message is in no queue."""
    queue = folders / "queue"
    (queue / ".1_abc.celery.msg.part").write_text('{"body": "half')  # a write in progress, as ours makes it
    chan = channel(folders)
    assert chan._size("celery") == 0
    with pytest.raises(Exception) as empty:
        chan._get("celery")
    assert type(empty.value).__name__ == "Empty"

    (queue / "1_abc.celery.msg").write_text("")  # the same moment as kombu's own transport makes it
    with pytest.raises(json.JSONDecodeError):
        channel(folders, "kombu.transport.filesystem:Transport")._get("celery")


def test_messages_are_delivered_in_the_order_they_were_sent(folders):
    chan = channel(folders)
    for number in range(12):
        chan._put("celery", {"body": number})
    assert [chan._get("celery")["body"] for _ in range(12)] == list(range(12))


def test_an_unreadable_message_is_set_aside_and_the_next_one_delivered(folders, caplog):
    (folders / "queue" / BAD).write_text("not json")  # older than any message the channel writes
    chan = channel(folders)
    chan._put("celery", {"body": "next"})
    with caplog.at_level(logging.ERROR, logger="core.filesystem_broker"):
        assert chan._get("celery") == {"body": "next"}
    assert [p.name for p in (folders / "processed" / "unreadable").iterdir()] == [BAD]
    assert f"Unreadable message {BAD} set aside" in caplog.text


@pytest.mark.slow
def test_tasks_from_four_processes_reach_two_workers_none_lost():
    result = embedded_broker.run(tasks=400, producers=4, workers=2, timeout=120)
    assert (result["delivered"], result["workers_down"], result["producers_failed"]) == (400, 0, 0), result
