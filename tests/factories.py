"""factory_boy factories for the shared test world."""

import datetime

import factory
from django.contrib.auth.hashers import make_password

from accounts.models import Agency, AgencyKind, User

TEST_PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    code = factory.Sequence(lambda n: f"AG{n}")
    kind = AgencyKind.COUNCIL
    secure_email_domain = "example.gov.uk"
    joined_on = datetime.date(2020, 1, 1)
    response_working_days = 10


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"officer{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Officer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    agency = factory.SubFactory(AgencyFactory)
    position = "Officer"
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))
