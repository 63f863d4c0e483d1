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
    # 1 session, 2 user, 3-7 allauth's user-session record (savepoint, read, user,
    # update, release), 8 the user's roles (navigation and permissions), 9 due for review,
    # 10 agreements without a DPIA record, 11 the user's agency (page header), 12 the
    # agreements, 13 their parties (one prefetch), 14-16 the session's expiry moved on
    # (savepoint, update, release).
    with django_assert_num_queries(16):
        response = client.get(reverse("agreements:list"))
    assert response.status_code == 200
    assert response.content.decode().count("Q-") >= 3


def test_detail_queries_are_fixed(world, make_agreement, client, django_assert_num_queries):
    agreement = make_agreement(AgreementStatus.ACTIVE, parties=("council", "police", "fire"))
    client.force_login(world.council_spoc)
    client.get(reverse("agreements:list"))  # the first request records the session
    # 1 session, 2 user, 3-7 allauth's user-session record (savepoint, read, user,
    # update, release), 8 roles, 9 the agreement (with parent, lead agency, predecessor),
    # 10 parties with agencies, 11 signatures with the versions signed, 12 legislation,
    # 13 change log with authors, 14 the current version, 15 other versions,
    # 16 the user's agency (page header), 17-19 the session's expiry moved on.
    with django_assert_num_queries(19):
        response = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert response.status_code == 200
