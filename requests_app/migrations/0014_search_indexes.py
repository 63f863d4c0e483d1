"""Indexes for the search box on PostgreSQL (requests_app/search.py): trigram indexes on the
names and addresses of the people named, and a full-text index on the description.

They exist only on PostgreSQL, so they are not in the models' Meta; on SQLite the search
reads the candidates without them. The full-text index is made from the same
``SearchVector`` the search filters by, so the planner can use it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = {
    "NamedPerson": [
        GinIndex(fields=["full_name"], opclasses=["gin_trgm_ops"], name="person_name_trgm"),
        GinIndex(fields=["address"], opclasses=["gin_trgm_ops"], name="person_address_trgm"),
    ],
    "InformationRequest": [
        GinIndex(SearchVector("description", config="simple"), name="req_description_fts"),
    ],
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, indexes in INDEXES.items():
        model = apps.get_model("requests_app", model_name)
        for index in indexes:
            schema_editor.add_index(model, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, indexes in INDEXES.items():
        model = apps.get_model("requests_app", model_name)
        for index in indexes:
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0013_decision_draft")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(add_indexes, remove_indexes),
    ]
