"""Fixtures of the agreements tests."""

import pytest

from tests.agreements.builders import MakeAgreement, build_agreement
from tests.world import World


@pytest.fixture
def make_agreement(world: World) -> MakeAgreement:
    return lambda *args, **kwargs: build_agreement(world, *args, **kwargs)
