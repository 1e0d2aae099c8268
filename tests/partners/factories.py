import datetime

import factory
from django.utils.text import slugify

from partners.models import GovernanceBody, GovernanceMembership, Organisation, Sector


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    order = factory.Sequence(int)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    sector = factory.SubFactory(SectorFactory)
    org_type = Organisation.Type.STATUTORY


class GovernanceBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernanceBody
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Body {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    start_date = datetime.date(2020, 1, 1)


class GovernanceMembershipFactory(factory.django.DjangoModelFactory):
    """An external representative by default; pass user=... for a portal user (and external_name="")."""

    class Meta:
        model = GovernanceMembership

    body = factory.SubFactory(GovernanceBodyFactory)
    external_name = factory.Faker("name", locale="en_GB")
    external_job_title = "Representative"
    external_email = factory.Sequence(lambda n: f"rep{n}@partner.example")
    external_phone = "0113 496 0123"
    role = "Member"
    sector = factory.SubFactory(SectorFactory)
    start_date = datetime.date(2021, 1, 1)
