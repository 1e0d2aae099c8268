import csv
import io

import pytest

from core.roles import Role
from tests.partners.factories import OrganisationFactory, SectorFactory
from workforce.staff_import import COLUMN_NAMES


@pytest.fixture
def early_years(db):
    return SectorFactory(name="Early Years")


@pytest.fixture
def council(db):
    return OrganisationFactory(name="City Council Children's Services")


@pytest.fixture
def nursery(early_years):
    return OrganisationFactory(name="Little Acorns Day Nursery", sector=early_years)


@pytest.fixture
def lead(make_user, council):
    """Leads City Council Children's Services (an object rule on the profile, not a role)."""
    return make_user(
        Role.LINE_MANAGER, Role.PRACTITIONER, email="lead@council.example", first_name="Lena", last_name="Lead",
        profile={"organisation": council, "is_organisation_lead": True, "job_title": "Service manager"},
    )


@pytest.fixture
def admin_user(make_user, council):
    return make_user(Role.ADMINISTRATOR, email="admin@council.example", profile={"organisation": council})


def staff_csv(rows: list[dict], columns=COLUMN_NAMES) -> bytes:
    """A staff file as an HR system would export it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def person_row(n: int, organisation="City Council Children's Services", **overrides) -> dict:
    row = {
        "email": f"new.person{n}@council.example",
        "hr_reference": f"HR{n:04}",
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "organisation": organisation,
        "job_title": "Family support worker",
        "workforce": "core",
        "service_tier": "targeted",
        "cts_band": "3",
        "line_manager_email": "",
        "employment": "paid",
        "hours": "full",
        "start_date": "2023-09-04",
    }
    row.update(overrides)
    return row
