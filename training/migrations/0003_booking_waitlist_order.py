"""Booking.waitlist_order: the waiting list's order, given under the session's lock (it was created_at, read
before the lock). Bookings already waiting keep their places: numbered 1, 2, 3… per session in the old order."""

from django.db import migrations, models


def number_the_waiting_lists(apps, schema_editor):
    Booking = apps.get_model("training", "Booking")
    waiting = Booking.objects.filter(status="waitlisted").order_by("session_id", "created_at", "pk")
    numbered, session_id, number = [], None, 0
    for booking in waiting.only("pk", "session_id").iterator():
        number = number + 1 if booking.session_id == session_id else 1
        session_id = booking.session_id
        booking.waitlist_order = number
        numbered.append(booking)
    Booking.objects.bulk_update(numbered, ["waitlist_order"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_completion_person_course_statistics"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="waitlist_order",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(number_the_waiting_lists, migrations.RunPython.noop),
    ]
