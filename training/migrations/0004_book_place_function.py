"""training_book_place(): a new booking's lock, decision and writes in one statement, on PostgreSQL.

Why a function (docs/performance.md, P1): the session's row lock is the queue everyone waits in when a popular
course opens, and a lock taken by Python is held across round trips to the web server — each of which, in a rush,
waits for a core and for its process's interpreter lock. Called on its own (autocommit), this function takes the
lock, decides, writes and commits inside PostgreSQL, so the lock is held for the database's own work only.

It books only if the session's row, once locked, still says what the caller checked before calling it (status,
start, booking window): otherwise it returns no row and the caller decides under its own lock, with the reasons in
words (training.services.booking_create). A VOLATILE function takes a fresh snapshot for each statement (READ
COMMITTED), so the count, made after the lock is granted, sees every booking committed before it.

The rule is training.services.places._confirm_or_waitlist's, which decides approvals and every booking on SQLite;
tests/training/test_booking_decision.py has both decide the same bookings and compares what they wrote. A later
migration that changes training_session, training_booking or training_bookingevent in a way this function touches
must replace it (CREATE OR REPLACE): until it does, every booking test on PostgreSQL fails.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION training_book_place(
    p_session bigint, p_person bigint, p_by bigint, p_now timestamptz,
    p_seen_status text, p_seen_starts_at timestamptz, p_seen_opens_at timestamptz, p_seen_closes_at timestamptz,
    p_place_statuses text[], p_confirmed text, p_waitlisted text, p_note text, p_full_note text,
    p_lock_timeout text
) RETURNS TABLE (booking_id bigint, booking_status text, booking_confirmed_at timestamptz,
                 booking_waitlist_order integer, people_waiting bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    locked training_session%ROWTYPE;
BEGIN
    PERFORM set_config('lock_timeout', p_lock_timeout, true);
    SELECT * INTO locked FROM training_session WHERE id = p_session FOR UPDATE;
    IF NOT FOUND
       OR locked.status IS DISTINCT FROM p_seen_status
       OR locked.starts_at IS DISTINCT FROM p_seen_starts_at
       OR locked.booking_opens_at IS DISTINCT FROM p_seen_opens_at
       OR locked.booking_closes_at IS DISTINCT FROM p_seen_closes_at THEN
        RETURN;  -- changed since the caller looked: it decides under its own lock, and says why
    END IF;
    RETURN QUERY
    WITH counts AS (
        SELECT COUNT(*) FILTER (WHERE b.status = ANY (p_place_statuses)) AS taken,
               COUNT(*) FILTER (WHERE b.status = p_waitlisted) AS waiting,
               COALESCE(MAX(b.waitlist_order), 0) AS last
        FROM training_booking AS b
        WHERE b.session_id = p_session
    ), decided AS (
        SELECT c.taken < locked.capacity AS has_place, c.waiting, c.last FROM counts AS c
    ), booking AS (
        INSERT INTO training_booking (session_id, person_id, booked_by_id, created_at, updated_at, status,
                                      confirmed_at, waitlist_order)
        SELECT p_session, p_person, p_by, p_now, p_now,
               CASE WHEN d.has_place THEN p_confirmed ELSE p_waitlisted END,
               CASE WHEN d.has_place THEN p_now END,
               CASE WHEN d.has_place THEN 0 ELSE d.last + 1 END
        FROM decided AS d
        RETURNING id, status, confirmed_at, waitlist_order
    ), event AS (
        INSERT INTO training_bookingevent (booking_id, at, by_id, from_status, to_status, note)
        SELECT n.id, p_now, p_by, '', n.status, CASE WHEN n.status = p_confirmed THEN p_note ELSE p_full_note END
        FROM booking AS n
    )
    SELECT n.id, n.status::text, n.confirmed_at, n.waitlist_order, d.waiting
    FROM booking AS n, decided AS d;
END
$$;
"""

DROP = "DROP FUNCTION IF EXISTS training_book_place(bigint, bigint, bigint, timestamptz, text, timestamptz, " \
       "timestamptz, timestamptz, text[], text, text, text, text, text);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # no parameters: "%ROWTYPE" is SQL


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_booking_waitlist_order"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
