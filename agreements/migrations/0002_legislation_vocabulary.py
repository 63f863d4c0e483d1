from django.db import migrations

# (code, act, provision, on the request form). The first eleven are the tick boxes of the
# ISP Appendix B Request/Disclosure form, in its order; the rest are the Appendix F acts and
# the legislation the protocol's section 3 relies on.
LEGISLATION = [
    ("cda-s115", "Crime and Disorder Act 1998", "S115 – Crime Reduction Strategy", True),
    ("cda-s17", "Crime and Disorder Act 1998", "S17 – Crime Reduction", True),
    ("cda-s1", "Crime and Disorder Act 1998", "S1 – ASB", True),
    ("cda-s2", "Crime and Disorder Act 1998", "S2 – Sex Offender Orders", True),
    ("cda-s8", "Crime and Disorder Act 1998", "S8 – Parenting Order", True),
    ("cda-s11", "Crime and Disorder Act 1998", "S11 – Child Safety Order", True),
    ("cda-s15", "Crime and Disorder Act 1998", "S15 – Local Curfew Orders", True),
    ("cda-s28-33", "Crime and Disorder Act 1998", "Ss28-33 – Racially Aggravated Crimes", True),
    ("housing-s84", "Housing Act", "S84 – application for possession order", True),
    ("homelessness-s10", "Homelessness Act", "S10 – application for re-housing", True),
    ("asbcp-2014", "Anti-social Behaviour, Crime and Policing Act 2014", "", True),
    ("dpa-2018", "Data Protection Act 2018", "", False),
    ("uk-gdpr", "UK General Data Protection Regulation", "", False),
    ("hra-1998", "Human Rights Act 1998", "Article 8", False),
    ("children-1989", "Children Act 1989", "Sections 17 and 47", False),
    ("children-2004", "Children Act 2004", "Sections 10 and 11", False),
    ("education-2002", "Education Act 2002", "Section 175", False),
    ("education-1996", "Education Act 1996", "Sections 13 and 434", False),
    ("learning-skills-2000", "Learning and Skills Act 2000", "Sections 117 and 119", False),
    ("leaving-care-2000", "Children (Leaving Care) Act 2000", "", False),
    ("mca-2005", "Mental Capacity Act 2005", "", False),
    ("immigration-1999", "Immigration and Asylum Act 1999", "", False),
    ("cja-2003", "Criminal Justice Act 2003", "Section 325 (MAPPA)", False),
    ("nhs-1977", "National Health Service Act 1977", "", False),
    ("nhs-2006", "National Health Service Act 2006", "", False),
    ("fire-2004", "Fire and Rescue Services Act 2004", "", False),
    ("housing-1996", "Housing Act 1996", "Section 184", False),
    ("homelessness-2002", "Homelessness Act 2002", "", False),
    ("localism-2011", "Localism Act 2011", "Section 1 (general power of competence)", False),
]


def load(apps, schema_editor):
    Legislation = apps.get_model("agreements", "Legislation")
    for order, (code, act, provision, on_form) in enumerate(LEGISLATION):
        Legislation.objects.update_or_create(
            code=code,
            defaults={
                "act": act,
                "provision": provision,
                "on_request_form": on_form,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
