import datetime

import factory

from actions.models import Action, Milestone, Strategy, Theme


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    title = factory.Sequence(lambda n: f"Workforce Strategy {n}")
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2027, 6, 30)
    status = Strategy.Status.DRAFT


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    strategy = factory.SubFactory(StrategyFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Theme {n}")
    order = factory.Sequence(int)


class ActionFactory(factory.django.DjangoModelFactory):
    """ActionFactory(leads=[user, ...]) names its leads."""

    class Meta:
        model = Action
        skip_postgeneration_save = True

    theme = factory.SubFactory(ThemeFactory)
    strategy = factory.SelfAttribute("theme.strategy")
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Action {n}")
    description = factory.Sequence(lambda n: f"What action {n} will do.")

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
