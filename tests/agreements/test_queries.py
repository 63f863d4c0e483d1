"""The list and the agreement page cost a fixed number of queries, however many rows."""

from django.urls import reverse

from agreements.models import AgreementStatus


def test_list_queries_do_not_grow_with_agreements(
    world, make_agreement, client, django_assert_num_queries
):
    for n in range(3):
        make_agreement(AgreementStatus.ACTIVE, reference=f"Q-{n}")
    client.force_login(world.council_spoc)
    client.get(reverse("agreements:list"))  # the first request records the session
    # 1 session, 2 the officer with agency and roles, 3 due for review, 4 agreements without
    # a DPIA record, 5 the agreements, 6 their parties (one prefetch). The idle clock was
    # written a moment ago: no write.
    with django_assert_num_queries(6):
        response = client.get(reverse("agreements:list"))
    assert response.status_code == 200
    assert response.content.decode().count("Q-") >= 3


def test_detail_queries_are_fixed(world, make_agreement, client, django_assert_num_queries):
    agreement = make_agreement(AgreementStatus.ACTIVE, parties=("council", "police", "fire"))
    client.force_login(world.council_spoc)
    client.get(reverse("agreements:list"))  # the first request records the session
    # 1 session, 2 the officer with agency and roles, 3 the agreement (with parent, lead
    # agency, predecessor), 4 parties with agencies, 5 signatures with the versions signed,
    # 6 legislation, 7 change log with authors, 8 the current version, 9 other versions.
    with django_assert_num_queries(9):
        response = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert response.status_code == 200
