"""The API (docs/integrations.md): thin views over the apps' selectors and services."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from actions import services as action_services
from actions.permissions import get_action_for_update
from identity.models import Scope
from training import services as training_services
from training.elearning import completion_record_external
from training.errors import TrainingError
from training.models import Booking, Course
from training.permissions import is_coordinator
from workforce.models import User

from . import selectors
from .permissions import HasScopes, require_scope, token_of
from .serializers import (
    ActionSerializer,
    BookingCreateSerializer,
    BookingSerializer,
    CompletionSerializer,
    CompletionWriteSerializer,
    CourseSerializer,
    PersonSerializer,
    SessionSerializer,
    StatusUpdateSerializer,
)


def _refusal(message: str, field: str = "detail") -> ValidationError:
    return ValidationError({field: [message]})


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    serializer_class = CourseSerializer
    permission_classes = [HasScopes]

    def get_queryset(self):
        return selectors.api_courses(user=self.request.user)


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Upcoming sessions with the places left on each."""

    lookup_value_regex = r"\d+"
    serializer_class = SessionSerializer
    permission_classes = [HasScopes]

    def get_queryset(self):
        return selectors.api_sessions(user=self.request.user)


class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your live bookings; book (yourself, or someone else with bookings:others) and cancel, through the same
    service and lock as the pages."""

    lookup_value_regex = r"\d+"
    serializer_class = BookingSerializer
    queryset = Booking.objects.none()  # for the schema; get_queryset is what is served
    permission_classes = [HasScopes]
    write_scope = Scope.BOOKINGS

    def get_queryset(self):
        return selectors.api_bookings(user=self.request.user)

    def _person(self, request: Request, email: str | None) -> User:
        if not email or email.lower() == request.user.email.lower():
            return request.user
        require_scope(request, Scope.BOOKINGS_OTHERS)
        if not is_coordinator(request.user):
            raise _refusal("Only training coordinators book places for other people.", "person")
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise _refusal("Nobody active has that email address.", "person")
        return person

    @extend_schema(request=BookingCreateSerializer, responses={201: BookingSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = BookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = self._person(request, data.validated_data.get("person"))
        session = selectors.api_sessions(user=request.user).filter(pk=data.validated_data["session"]).first()
        if session is None:
            raise _refusal("There is no upcoming session with that id.", "session")
        try:
            booking = training_services.booking_create(
                session=session, person=person, by=request.user,
                confirm_overlap=data.validated_data["confirm_overlap"])
        except TrainingError as exc:
            raise _refusal(exc.message, exc.field or "session") from exc
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: BookingSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        booking = self._booking_to_cancel(request, pk)
        try:
            booking = training_services.booking_cancel(booking=booking, by=request.user)
        except TrainingError as exc:
            raise _refusal(exc.message) from exc
        return Response(BookingSerializer(booking).data)

    def _booking_to_cancel(self, request: Request, pk: str | None) -> Booking:
        booking = Booking.objects.select_related("session__course", "person").filter(pk=pk).first()
        if booking is None:
            raise Http404
        if booking.person_id != request.user.pk:
            if not is_coordinator(request.user):
                raise Http404
            require_scope(request, Scope.BOOKINGS_OTHERS)
        return booking


class CompletionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Completions you may read; an e-learning platform records them (completions:write, coordinators)."""

    lookup_value_regex = r"\d+"
    serializer_class = CompletionSerializer
    permission_classes = [HasScopes]
    write_scope = Scope.COMPLETIONS

    def get_queryset(self):
        return selectors.api_completions(user=self.request.user, token=token_of(self.request))

    @extend_schema(request=CompletionWriteSerializer, responses={200: CompletionSerializer,
                                                                 201: CompletionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not is_coordinator(request.user):
            raise Http404
        data = CompletionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        person = selectors.api_completion_people(user=request.user, token=token_of(request)).filter(
            email__iexact=v["person"]).first()
        if person is None:
            raise _refusal("Nobody you may record completions for has that email address.", "person")
        course = Course.objects.filter(code__iexact=v["course"]).first()
        if course is None:
            raise _refusal("No course has that code.", "course")
        recorded = completion_record_external(person=person, course=course, completed_on=v["completed_on"],
                                              external_id=v["external_id"], by=request.user)
        return Response(CompletionSerializer(recorded.completion).data,
                        status=status.HTTP_201_CREATED if recorded.created else status.HTTP_200_OK)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """The people the staff list shows you (an organisation lead: their organisation)."""

    lookup_value_regex = r"\d+"
    serializer_class = PersonSerializer
    permission_classes = [HasScopes]

    def get_queryset(self):
        require_scope(self.request, Scope.PEOPLE)
        return selectors.api_people(user=self.request.user, token=token_of(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from workforce.permissions import can_see_staff_list

        if not can_see_staff_list(request.user):
            raise Http404
        return super().list(request, *args, **kwargs)


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    """The action plan's actions you may read; post a status update (strategy:write) on one you may update."""

    lookup_value_regex = r"\d+"
    serializer_class = ActionSerializer
    permission_classes = [HasScopes]
    write_scope = Scope.STRATEGY

    def get_queryset(self):
        return selectors.api_actions(user=self.request.user)

    @extend_schema(request=StatusUpdateSerializer, responses={201: StatusUpdateSerializer})
    @action(detail=True, methods=["post"])
    def updates(self, request: Request, pk: str | None = None) -> Response:
        try:
            target = get_action_for_update(request.user, int(pk or 0))
        except ValueError:
            raise Http404 from None
        data = StatusUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            update = action_services.action_status_update(
                by=request.user, action=target, status=v["status"], percent_complete=v.get("percent_complete"),
                commentary=v["commentary"])
        except action_services.ActionPlanError as exc:
            raise _refusal(str(exc)) from exc
        return Response(StatusUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


