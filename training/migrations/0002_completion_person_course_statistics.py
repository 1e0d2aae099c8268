"""Tell PostgreSQL's planner how many (person, course) pairs the completions hold.

The compliance matrix groups completions by person and course (the latest of each). Without extended statistics
the planner multiplies the columns' separate estimates, guesses a quarter of the real number of groups, picks a
hash aggregate that spills to disk, and the query for 25,000 people takes five times longer than the streaming
aggregate over the (person, course, completed_on) index it picks once it knows (EXPLAIN ANALYZE in
docs/performance.md). Other databases: nothing to do.
"""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS training_completion_person_course (ndistinct) "
    "ON person_id, course_id FROM training_completion"
)
DROP = "DROP STATISTICS IF EXISTS training_completion_person_course"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE training_completion")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
