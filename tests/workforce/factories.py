import datetime

import factory
from django.contrib.auth.models import Group

from core.roles import Role
from tests.partners.factories import OrganisationFactory
from workforce.models import DesignatedRole, StaffProfile, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(roles=[Role.LINE_MANAGER]) puts the user in those groups."""
        if create and extracted:
            # get_or_create: transactional tests flush the groups the data migration made.
            self.groups.set([Group.objects.get_or_create(name=Role(r).value)[0] for r in extracted])
            if Role.ADMINISTRATOR in extracted:
                self.is_staff = self.is_superuser = True
                self.save(update_fields=["is_staff", "is_superuser"])


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Family support worker"
    cts_band = 3


class DesignatedRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DesignatedRole

    person = factory.SubFactory(UserFactory)
    kind = DesignatedRole.Kind.SAFEGUARDING_OFFICER
    organisation = factory.SubFactory(OrganisationFactory)
    start_date = datetime.date(2022, 1, 1)
