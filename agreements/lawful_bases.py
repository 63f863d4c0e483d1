"""The vocabularies of lawful bases an agreement's parties rely on (`002_…` 2.3).

Codes are stored on each party, so the words can be improved without a data migration.
"""

ARTICLE_6 = [
    ("a", "6(1)(a) consent"),
    ("b", "6(1)(b) contract"),
    ("c", "6(1)(c) legal obligation"),
    ("d", "6(1)(d) vital interests"),
    ("e", "6(1)(e) public task: a task in the public interest or in official authority"),
    ("f", "6(1)(f) legitimate interests (not for public authorities' tasks)"),
]

ARTICLE_9 = [
    ("a", "9(2)(a) explicit consent"),
    ("b", "9(2)(b) employment, social security and social protection law"),
    ("c", "9(2)(c) vital interests where consent cannot be given"),
    ("d", "9(2)(d) not-for-profit bodies"),
    ("e", "9(2)(e) made manifestly public by the data subject"),
    ("f", "9(2)(f) legal claims or judicial acts"),
    ("g", "9(2)(g) reasons of substantial public interest"),
    ("h", "9(2)(h) health or social care"),
    ("i", "9(2)(i) public health"),
    ("j", "9(2)(j) archiving, research and statistics"),
]

DPA_SECTION_8 = [
    ("a", "s8(a) the administration of justice"),
    ("b", "s8(b) a function conferred by an enactment or rule of law"),
    ("c", "s8(c) a function of the Crown, a Minister or a government department"),
    ("d", "s8(d) a function of either House of Parliament"),
    ("e", "s8(e) an activity that supports or promotes democratic engagement"),
]

# DPA 2018 Schedule 1: the conditions for special category (Art 9) and criminal offence
# (Art 10) data that agreements like these rely on.
DPA_SCHEDULE_1 = [
    ("p1-1", "Sch 1 para 1: employment, social security and social protection"),
    ("p1-2", "Sch 1 para 2: health or social care purposes"),
    ("p1-3", "Sch 1 para 3: public health"),
    ("p1-4", "Sch 1 para 4: research"),
    ("p2-6", "Sch 1 para 6: statutory and government purposes"),
    ("p2-7", "Sch 1 para 7: administration of justice"),
    ("p2-8", "Sch 1 para 8: equality of opportunity or treatment"),
    ("p2-10", "Sch 1 para 10: preventing or detecting unlawful acts"),
    ("p2-11", "Sch 1 para 11: protecting the public"),
    ("p2-12", "Sch 1 para 12: regulatory requirements"),
    ("p2-14", "Sch 1 para 14: preventing fraud"),
    ("p2-17", "Sch 1 para 17: counselling"),
    ("p2-18", "Sch 1 para 18: safeguarding of children and individuals at risk"),
    ("p2-19", "Sch 1 para 19: safeguarding of economic well-being"),
    ("p3-29", "Sch 1 para 29: consent (criminal offence data)"),
    ("p3-30", "Sch 1 para 30: protecting an individual's vital interests"),
    ("p3-33", "Sch 1 para 33: legal claims"),
    ("p3-36", "Sch 1 para 36: extension of the Part 2 conditions"),
]

# DPA 2018 Part 3 (law enforcement by competent authorities): Schedule 8 conditions for
# sensitive processing (s35(5)).
DPA_SCHEDULE_8 = [
    ("1", "Sch 8 para 1: statutory purposes"),
    ("2", "Sch 8 para 2: administration of justice"),
    ("3", "Sch 8 para 3: protecting an individual's vital interests"),
    ("4", "Sch 8 para 4: safeguarding of children and individuals at risk"),
    ("5", "Sch 8 para 5: personal data already in the public domain"),
    ("6", "Sch 8 para 6: legal claims"),
    ("7", "Sch 8 para 7: judicial acts"),
    ("8", "Sch 8 para 8: preventing fraud"),
    ("9", "Sch 8 para 9: archiving, research and statistics"),
]

VOCABULARIES = {
    "article6": ARTICLE_6,
    "article9": ARTICLE_9,
    "dpa_s8": DPA_SECTION_8,
    "schedule1": DPA_SCHEDULE_1,
    "schedule8": DPA_SCHEDULE_8,
}


def labels(vocabulary: str, codes: list[str]) -> list[str]:
    """The words for stored codes, in the vocabulary's order."""
    known = dict(VOCABULARIES[vocabulary])
    return [known[c] for c in known if c in codes]
