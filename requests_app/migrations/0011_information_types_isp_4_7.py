"""Appendix G 9(h) uses the ISP 4.7 list exactly, plus "Other (state)" with its text; 9(i)
adds telephone and in person.

Each decision keeps its meaning: an old type whose label is on the ISP 4.7 list keeps its
code; any other becomes "Other (state)" with its old label as the text, so no value is lost.
"""

from django.db import migrations, models

# The vocabulary before this migration, code: label.
OLD_LABELS = {
    "demographics": "Demographics",
    "offending_history": "Offending history",
    "living_arrangements": "Living arrangements",
    "family": "Family and personal relationships",
    "education": "Education, training and employment",
    "lifestyle": "Lifestyle",
    "substance_misuse": "Substance misuse",
    "mental_health": "Emotional and mental health",
    "physical_health": "Physical health",
    "thinking_behaviour": "Thinking and behaviour",
    "attitudes": "Attitudes to offending",
    "risk": "Risk of harm",
    "finance": "Financial management and income",
    "other": "Other",
}
# ISP 4.7, label (lower case): code.
ISP_4_7 = {
    "demographics": "demographics",
    "offending history": "offending_history",
    "living arrangements": "living_arrangements",
    "family and personal relationships": "family",
    "statutory education": "statutory_education",
    "lifestyle and cultural factors": "lifestyle_culture",
    "substance misuse": "substance_misuse",
    "emotional and mental health": "mental_health",
    "perceptions of self": "perceptions_of_self",
    "thinking and behaviour": "thinking_behaviour",
    "attitudes to engagement in relevant activity": "attitudes_to_engagement",
    "motivation to change": "motivation_to_change",
}
OTHER = "other"


def isp_types(old: list[str]) -> tuple[list[str], str]:
    """The ISP 4.7 codes and the "Other (state)" text for a decision's old codes."""
    codes: list[str] = []
    others: list[str] = []
    for code in old:
        label = OLD_LABELS.get(code, code)
        new = ISP_4_7.get(label.lower())
        if new is None:
            new = OTHER
            if label not in others:
                others.append(label)
        if new not in codes:
            codes.append(new)
    # "Other (state)" last, as on the form.
    if OTHER in codes:
        codes = [c for c in codes if c != OTHER] + [OTHER]
    return codes, "; ".join(others)


def to_isp_4_7(apps, schema_editor):
    for model in ("Decision", "HistoricalDecision"):
        Model = apps.get_model("requests_app", model)
        key = Model._meta.pk.name
        for pk, old in Model.objects.values_list(key, "information_types").iterator():
            codes, other = isp_types(list(old or []))
            if codes != old:
                Model.objects.filter(**{key: pk}).update(
                    information_types=codes, information_types_other=other
                )


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0010_bound_text_lengths"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="information_types_other",
            field=models.CharField(
                blank=True, max_length=250, verbose_name="other type of information (state)"
            ),
        ),
        migrations.AddField(
            model_name="historicaldecision",
            name="information_types_other",
            field=models.CharField(
                blank=True, max_length=250, verbose_name="other type of information (state)"
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="delivery_method",
            field=models.CharField(
                choices=[
                    ("portal", "In the portal"),
                    ("post", "Post"),
                    ("secure_email", "Secure email"),
                    ("fax", "Fax"),
                    ("telephone", "Telephone"),
                    ("in_person", "In person"),
                    ("other", "Other"),
                ],
                default="portal",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="historicaldecision",
            name="delivery_method",
            field=models.CharField(
                choices=[
                    ("portal", "In the portal"),
                    ("post", "Post"),
                    ("secure_email", "Secure email"),
                    ("fax", "Fax"),
                    ("telephone", "Telephone"),
                    ("in_person", "In person"),
                    ("other", "Other"),
                ],
                default="portal",
                max_length=20,
            ),
        ),
        # Migrating back leaves the new codes: the old ones cannot be told from them.
        migrations.RunPython(to_isp_4_7, migrations.RunPython.noop),
    ]
