"""The world shared by a module (tests/conftest.py) reaches every test as it was built:
whatever one test does to the rows or to the objects, the next sees none of it. Each case
checks first and changes after, so whichever runs second, in any order or worker, fails
if anything leaks."""

import pytest

from accounts.models import OfficerRole, User
from tests.world import OFFICERS, World


@pytest.mark.parametrize("case", ["first", "second"])
def test_a_test_sees_the_world_as_built_whatever_ran_before(
    world: World, case: str, request: pytest.FixtureRequest
) -> None:
    # This module qualifies: the world is built once, not for each test.
    assert request.getfixturevalue("_module_world") is not None
    assert world.requester.first_name == "Requester"
    assert "leaked" not in world.requester.__dict__
    assert User.objects.get(username="requester").first_name == "Requester"
    assert User.objects.filter(username__in=OFFICERS).count() == len(OFFICERS)
    assert OfficerRole.objects.filter(user=world.outsider).exists()

    world.requester.first_name = f"Changed by the {case}"
    world.requester.save(update_fields=["first_name"])
    world.requester.__dict__["leaked"] = True
    OfficerRole.objects.filter(user=world.outsider).delete()
    User.objects.filter(username="council_colleague").delete()


def test_each_test_gets_its_own_copy_of_the_objects(world: World) -> None:
    # One world per test: the users' agency is the world's own agency object.
    assert world.requester.agency is world.council
    assert world.discloser.agency is world.police
