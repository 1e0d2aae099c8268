from rest_framework import serializers

from actions.models import Action, StatusUpdate
from training.models import Booking, Completion, Course, Session
from workforce.models import User


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "code", "title", "summary", "duration", "delivery_mode", "variant"]


class SessionSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="code", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)
    places_left = serializers.SerializerMethodField()
    online = serializers.BooleanField(source="is_online", read_only=True)

    class Meta:
        model = Session
        fields = ["id", "course", "course_title", "starts_at", "ends_at", "venue_name", "online", "capacity",
                  "places_left", "status"]

    def get_places_left(self, session: Session) -> int:
        return max(session.capacity - getattr(session, "places_taken", 0), 0)


class BookingSerializer(serializers.ModelSerializer):
    person = serializers.EmailField(source="person.email", read_only=True)

    class Meta:
        model = Booking
        fields = ["id", "session", "person", "status", "created_at"]
        read_only_fields = fields


class BookingCreateSerializer(serializers.Serializer):
    session = serializers.IntegerField(min_value=1)
    person = serializers.EmailField(required=False, help_text="Someone else (needs the bookings:others scope "
                                                              "and a training coordinator's role).")
    confirm_overlap = serializers.BooleanField(default=False)


class CompletionSerializer(serializers.ModelSerializer):
    person = serializers.EmailField(source="person.email", read_only=True)
    course = serializers.CharField(source="course.code", read_only=True)

    class Meta:
        model = Completion
        fields = ["id", "person", "course", "completed_on", "external_id"]
        read_only_fields = fields


class CompletionWriteSerializer(serializers.Serializer):
    person = serializers.EmailField(max_length=254)
    course = serializers.CharField(max_length=30, help_text="The course's code, e.g. SG2.")
    completed_on = serializers.DateField()
    external_id = serializers.CharField(max_length=100, help_text="The platform's id for this completion: a "
                                                                  "repeat with the same id changes nothing.")


class PersonSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="profile.organisation.name", read_only=True)
    job_title = serializers.CharField(source="profile.job_title", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "organisation", "job_title"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "code", "title", "current_status", "percent_complete", "due_date"]
        read_only_fields = fields


class StatusUpdateSerializer(serializers.ModelSerializer):
    percent_complete = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    commentary = serializers.CharField(max_length=5000)

    class Meta:
        model = StatusUpdate
        fields = ["id", "status", "percent_complete", "commentary", "created_at"]
        read_only_fields = ["id", "created_at"]
