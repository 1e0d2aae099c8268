"""Demo data for partners: the eight sectors with the city's own headcount facts (DOMAIN.md) and
partner organisations, governance bodies and their external members. Idempotent: keyed by slug (members by
body, name and start), so running it again changes nothing."""

from datetime import date

from django.utils.text import slugify

from .models import Organisation, Sector
from .services import governance_body_upsert, governance_membership_upsert

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

# name, sector, type: at least three per sector, all four types.
ORGANISATIONS = [
    ("City Council Children's Services", "Social Care", Organisation.Type.STATUTORY),
    ("Brightpath Fostering", "Social Care", Organisation.Type.COMMISSIONED),
    ("Harbour Children's Homes", "Social Care", Organisation.Type.PVI),
    ("Community Health NHS Trust", "Health", Organisation.Type.STATUTORY),
    ("City Hospitals Paediatrics", "Health", Organisation.Type.STATUTORY),
    ("Northside Young Minds", "Health", Organisation.Type.COMMISSIONED),
    ("Riverside Primary School", "Schools", Organisation.Type.STATUTORY),
    ("Oakfield Academy", "Schools", Organisation.Type.STATUTORY),
    ("St Anne's Primary School", "Schools", Organisation.Type.STATUTORY),
    ("Meadowbank Special School", "Schools", Organisation.Type.STATUTORY),
    ("City Youth Service", "Youth Support", Organisation.Type.STATUTORY),
    ("Connexions Careers Advice", "Youth Support", Organisation.Type.COMMISSIONED),
    ("Northside Youth Club", "Youth Support", Organisation.Type.VOLUNTARY),
    ("Youth Offending Team", "Justice and Crime Prevention", Organisation.Type.STATUTORY),
    ("County Probation Service", "Justice and Crime Prevention", Organisation.Type.STATUTORY),
    ("Safer Streets Project", "Justice and Crime Prevention", Organisation.Type.VOLUNTARY),
    ("Little Acorns Day Nursery", "Early Years", Organisation.Type.PVI),
    ("Sunflower Pre-school", "Early Years", Organisation.Type.VOLUNTARY),
    ("Rainbow Childminding Network", "Early Years", Organisation.Type.PVI),
    ("Westgate Children's Centre", "Early Years", Organisation.Type.STATUTORY),
    ("Play Rangers Service", "Early Years", Organisation.Type.COMMISSIONED),
    ("Family Action Network", "Voluntary and Community", Organisation.Type.VOLUNTARY),
    ("Young Carers Trust", "Voluntary and Community", Organisation.Type.VOLUNTARY),
    ("Open Door Parenting", "Voluntary and Community", Organisation.Type.VOLUNTARY),
    ("City Leisure Trust", "Sports and Culture", Organisation.Type.COMMISSIONED),
    ("City Libraries", "Sports and Culture", Organisation.Type.STATUTORY),
    ("Museums and Heritage Service", "Sports and Culture", Organisation.Type.STATUTORY),
]

# slug, name, reports to (slug), start, end, purpose
BODIES = [
    ("board", "Children's Partnership Board", None, date(2010, 4, 1), None,
     "The statutory Children's Trust Board: receives the quarterly progress reports on the workforce strategy."),
    ("workforce-strategy-group", "Workforce Strategy Group", "board", date(2010, 4, 1), None,
     "Owns the workforce strategy and its action plan; one or more representatives from each sector."),
    ("safeguarding-children-board", "Safeguarding Children Board", None, date(2008, 4, 1), date(2019, 9, 28),
     "The Local Safeguarding Children Board, replaced by the safeguarding partnership arrangements in 2019."),
    ("senior-officers-group", "Senior Officers' Group", "board", date(2012, 9, 1), None,
     "Senior officers of the partner agencies; the Strategy Group reports to it between Board meetings."),
]

# body slug, role, name, job title, sector, organisation (name), start. Fictional people; phone numbers from
# the range Ofcom keeps for drama (0113 496 0000 to 0999).
EXTERNAL_MEMBERS = [
    ("board", "Chair", "Cllr Helen Marsh", "Cabinet Member for Children and Families", "Social Care",
     "City Council Children's Services", date(2022, 5, 20)),
    ("board", "Member", "David Okonjo", "Chief Executive, City Council", "Social Care",
     "City Council Children's Services", date(2021, 1, 4)),
    ("board", "Member", "Rachel Whitby", "Assistant Chief Constable", "Justice and Crime Prevention", None,
     date(2023, 2, 1)),
    ("board", "Member", "Professor Alan Greaves", "Independent Chair, Safeguarding Children Partnership",
     "Social Care", None, date(2020, 9, 1)),
    ("board", "Member", "Joanna Pryce", "Headteacher, representing schools and academies", "Schools",
     "Oakfield Academy", date(2022, 9, 1)),
    ("board", "Member", "Tariq Hussain", "Chief Officer, voluntary-sector forum", "Voluntary and Community",
     "Family Action Network", date(2021, 6, 1)),
    ("board", "Member", "Dr Fiona Carr", "Director of Nursing", "Health", "Community Health NHS Trust",
     date(2023, 4, 1)),
    ("workforce-strategy-group", "Vice-chair", "Grace Ellison", "Head of Workforce Development", "Social Care",
     "City Council Children's Services", date(2021, 4, 1)),
    ("workforce-strategy-group", "Member", "Omar Farouk", "Practice Educator", "Health",
     "City Hospitals Paediatrics", date(2022, 1, 10)),
    ("workforce-strategy-group", "Member", "Lucy Brennan", "Deputy Headteacher", "Schools",
     "Riverside Primary School", date(2022, 9, 1)),
    ("workforce-strategy-group", "Member", "Kwame Asante", "Senior Youth Worker", "Youth Support",
     "City Youth Service", date(2021, 4, 1)),
    ("workforce-strategy-group", "Member", "Helen Parry", "YOT Training Lead", "Justice and Crime Prevention",
     "Youth Offending Team", date(2023, 1, 16)),
    ("workforce-strategy-group", "Member", "Sian Morgan", "Early Years Quality Lead", "Early Years",
     "Westgate Children's Centre", date(2021, 4, 1)),
    ("workforce-strategy-group", "Member", "Peter Lindqvist", "Volunteer Coordinator", "Voluntary and Community",
     "Young Carers Trust", date(2022, 3, 1)),
    ("workforce-strategy-group", "Member", "Amara Nwosu", "Learning and Development Manager", "Sports and Culture",
     "City Leisure Trust", date(2021, 4, 1)),
    ("workforce-strategy-group", "Member", "Brian Hollis", "Training Officer", "Early Years",
     "Little Acorns Day Nursery", date(2019, 4, 1), date(2022, 3, 31)),
    ("safeguarding-children-board", "Chair", "Professor Alan Greaves", "Independent Chair", "Social Care", None,
     date(2014, 9, 1), date(2019, 9, 28)),
    ("senior-officers-group", "Chair", "David Okonjo", "Chief Executive, City Council", "Social Care",
     "City Council Children's Services", date(2021, 1, 4)),
    ("senior-officers-group", "Member", "Dr Fiona Carr", "Director of Nursing", "Health",
     "Community Health NHS Trust", date(2023, 4, 1)),
]


def seed(*, stdout=None, **_options) -> None:
    for order, (name, summary) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "order": order, "summary": summary}
        )
    sectors = {s.name: s for s in Sector.objects.all()}
    for name, sector, org_type in ORGANISATIONS:
        Organisation.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "sector": sectors[sector], "org_type": org_type}
        )
    organisations = {o.name: o for o in Organisation.objects.all()}
    bodies = {}
    for order, (slug, name, reports_to, start, end, purpose) in enumerate(BODIES, start=1):
        bodies[slug] = governance_body_upsert(
            name=name, slug=slug, start_date=start, end_date=end, purpose=purpose,
            reports_to=bodies.get(reports_to), order=order,
        )  # fmt: skip
    for body, role, name, job_title, sector, organisation, start, *end in EXTERNAL_MEMBERS:
        local = slugify(name.replace("Cllr ", "").replace("Professor ", "").replace("Dr ", "")).replace("-", ".")
        governance_membership_upsert(
            body=bodies[body], role=role, external_name=name, external_job_title=job_title,
            external_email=f"{local}@partner.example", external_phone=f"0113 496 0{len(name) * 7 % 1000:03}",
            sector=sectors[sector], organisation=organisations.get(organisation), start_date=start,
            end_date=end[0] if end else None,
        )  # fmt: skip
