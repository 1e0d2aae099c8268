"""Demo data for partners: the eight sectors with the city's own headcount facts (DOMAIN.md) and
partner organisations. Idempotent: keyed by slug, so running it again changes nothing."""

from django.utils.text import slugify

from .models import Organisation, Sector

SECTORS = [
    ("Social Care", "143 front-line social workers; 106 family support workers; 89 children-in-care workers; "
     "43 fostering support workers; 181 foster-caring households."),
    ("Health", "About 500 in the community health provider's children's services (acute, GPs and dentists "
     "not counted)."),
    ("Schools", "Just under 100 schools and academies; about 5,000 staff (2,000 teachers, 3,000 support staff)."),
    ("Youth Support", "166 council youth workers; 110 careers-advice (Connexions) staff."),
    ("Justice and Crime Prevention", "About 80 in the Youth Offending Team; 248 probation service officers."),
    ("Early Years", "About 4,500 registered childcare practitioners; 151 play-service workers."),
    ("Voluntary and Community", "Over 200 registered organisations; volunteers gave 29,850 weeks of work "
     "in a year."),
    ("Sports and Culture", "984 leisure-centre workers; 277 library staff; 192 cultural-services staff."),
]

ORGANISATIONS = [
    ("City Council Children's Services", "Social Care", Organisation.Type.STATUTORY),
    ("Community Health NHS Trust", "Health", Organisation.Type.STATUTORY),
    ("Riverside Primary School", "Schools", Organisation.Type.STATUTORY),
    ("City Youth Service", "Youth Support", Organisation.Type.STATUTORY),
    ("Youth Offending Team", "Justice and Crime Prevention", Organisation.Type.STATUTORY),
    ("Little Acorns Day Nursery", "Early Years", Organisation.Type.PVI),
    ("Family Action Network", "Voluntary and Community", Organisation.Type.VOLUNTARY),
    ("City Leisure Trust", "Sports and Culture", Organisation.Type.COMMISSIONED),
]


def seed(*, stdout=None) -> None:
    for order, (name, summary) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "order": order, "summary": summary}
        )
    sectors = {s.name: s for s in Sector.objects.all()}
    for name, sector, org_type in ORGANISATIONS:
        Organisation.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "sector": sectors[sector], "org_type": org_type}
        )
