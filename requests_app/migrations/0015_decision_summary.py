"""Appendix G 9(b): the summary becomes a short text the disclosing officer writes.

Each decision made before keeps the summary the register showed for it, generated from its
reference, both agencies and the types of information shared.
"""

from django.db import migrations, models

# The ISP 4.7 labels as of 0011, code: label.
TYPE_LABELS = {
    "demographics": "Demographics",
    "offending_history": "Offending history",
    "living_arrangements": "Living arrangements",
    "family": "Family and personal relationships",
    "statutory_education": "Statutory education",
    "lifestyle_culture": "Lifestyle and cultural factors",
    "substance_misuse": "Substance misuse",
    "mental_health": "Emotional and mental health",
    "perceptions_of_self": "Perceptions of self",
    "thinking_behaviour": "Thinking and behaviour",
    "attitudes_to_engagement": "Attitudes to engagement in relevant activity",
    "motivation_to_change": "Motivation to change",
    "other": "Other (state)",
}


def generated_summary(reference: str, requesting: str, disclosing: str, types: list[str]) -> str:
    """The sentence the register generated before this migration."""
    labels = ", ".join(TYPE_LABELS.get(code, code) for code in types)
    return f"{reference}: {requesting} asked {disclosing} for {labels or 'information'}"


def keep_generated_summaries(apps, schema_editor):
    for model in ("Decision", "HistoricalDecision"):
        Model = apps.get_model("requests_app", model)
        key = Model._meta.pk.name
        rows = Model.objects.filter(summary="").values_list(
            key,
            "request__reference",
            "requesting_agency__code",
            "disclosing_agency__code",
            "information_types",
        )
        for pk, reference, requesting, disclosing, types in rows.iterator():
            Model.objects.filter(**{key: pk}).update(
                summary=generated_summary(reference, requesting, disclosing, list(types or []))
            )


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0014_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="summary",
            field=models.CharField(
                default="", max_length=300, verbose_name="summary of the information (no names)"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicaldecision",
            name="summary",
            field=models.CharField(
                default="", max_length=300, verbose_name="summary of the information (no names)"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(keep_generated_summaries, migrations.RunPython.noop),
    ]
