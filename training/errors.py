"""Domain errors for training. Views turn them into messages on the page; none of them is a 500.

Each carries a message written for the person who caused it."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workforce.models import User

    from .models import Course, Session


class TrainingError(Exception):
    """`field`: the form field the problem is about, when there is one (the page shows the message beside it)."""

    message = "That could not be done."

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.message
        self.field = field
        super().__init__(self.message)


class Busy(TrainingError):
    message = "Lots of people are booking this session right now. Nothing has changed — please try again."


class BookingNotOpen(TrainingError):
    message = "This session is not open for booking."


class AlreadyBooked(TrainingError):
    message = "You already have a booking for this session."


class PrerequisitesMissing(TrainingError):
    """`person`: someone other than the reader, who would get the place (a place passed on by a manager).
    `sentence` has a {courses} slot (and {person}): the message fills it with titles, the page with links."""

    def __init__(self, courses: Iterable["Course"], person: "User | None" = None) -> None:
        self.courses = list(courses)
        self.person = person
        if person is None:
            self.sentence = "You need to complete {courses} before booking this course."
        else:
            self.sentence = "{person} needs to complete {courses} before they can have a place on this course."
        super().__init__(self.sentence.format(courses=", ".join(course.title for course in self.courses),
                                              person=person))


class OverlapNeedsConfirmation(TrainingError):
    def __init__(self, sessions: Iterable["Session"]) -> None:
        self.sessions = list(sessions)
        super().__init__("This session overlaps another session you are booked on. Please confirm you want both.")


class NoLineManager(TrainingError):
    message = (
        "This course needs your line manager's approval, but no line manager is recorded for you. "
        "Ask your training coordinator to add one."
    )


class NotAllowed(TrainingError):
    message = "You cannot do that."


class InvalidState(TrainingError):
    message = "This booking has changed since you opened the page. Nothing was done."
