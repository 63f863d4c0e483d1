"""Finding a request from the search box: a reference, a person's name, a date of birth, a
postcode or address words, or words of the description, among the requests this officer
may see (docs/user-guide.md, "Finding a request").

The database finds candidates, with its own tools where it has them (PostgreSQL: trigram
similarity and full-text search on GIN indexes, requests_app migration 0012); every
candidate is then checked here, in Python, by the same rules on every database, so SQLite
and PostgreSQL give the same answer. A candidate counts only for what this officer sees of
the request at its stage (``permissions.visible_parts``): a name matches only where the
people named are shown to them.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramWordSimilarity
from django.db import connection, models, transaction
from django.db.models import F, Lookup, QuerySet, Value
from django.utils.crypto import salted_hmac

from accounts.models import User
from isp_portal.limits import SEARCH_LENGTH, SEARCH_WORDS
from requests_app import permissions
from requests_app.models import InformationRequest, NamedPerson

# Beyond this many matches the officer is asked to narrow the search (add words or filters).
MAX_MATCHES = 200
# Descriptions are read and checked this many at a time.
CHUNK = 2000


class Field(models.TextChoices):
    """What a request matched on: the names of fields, never their contents."""

    REFERENCE = "reference", "Reference"
    NAME = "name", "Name of a person"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth"
    ADDRESS = "address", "Address or postcode"
    DESCRIPTION = "description", "Information requested"


# The part of the request (``permissions.SEES``) each field belongs to.
_PART_OF: dict[Field, permissions.Part | None] = {
    Field.REFERENCE: None,  # shown on every list that shows the request
    Field.NAME: permissions.Part.PEOPLE,
    Field.DATE_OF_BIRTH: permissions.Part.PEOPLE,
    Field.ADDRESS: permissions.Part.PEOPLE,
    Field.DESCRIPTION: permissions.Part.PART_A,
}

_REFERENCE = re.compile(r"ISP-\d{4}-\d{5}", re.IGNORECASE)
_POSTCODE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})", re.IGNORECASE)
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y", "%d %B %Y", "%d %b %Y")


def tokens(text: str) -> list[str]:
    """Words as the search compares them: lower case, accents removed, split at anything
    that is not a letter or a digit ("SMITH, Zoë" -> ["smith", "zoe"])."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", plain)


def allowed_edits(word: str) -> int:
    """Spelling slips tolerated in a word of a name: none in two letters, one (a letter
    wrong, missing, added, or two swapped) up to seven, two from eight."""
    if len(word) < 3:
        return 0
    return 1 if len(word) < 8 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent swaps), or ``limit + 1``
    as soon as it is certain to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def word_matches(query: str, word: str) -> bool:
    """A word of the search against a word of a name. A three-letter word must keep its
    first letter ("Jon" finds "John", not "Don")."""
    if query == word:
        return True
    edits = allowed_edits(query)
    if not edits or (len(query) == 3 and query[0] != word[:1]):
        return False
    return edit_distance(query, word, edits) <= edits


def name_matches(query_words: list[str], full_name: str) -> bool:
    """Every word of the search is a word of the name, whatever the order, within the
    spelling slips ``word_matches`` allows: "Jon Smith" finds "SMITH, John"."""
    name_words = tokens(full_name)
    return bool(query_words) and all(
        any(word_matches(q, w) for w in name_words) for q in query_words
    )


def words_in(query_words: list[str], text: str) -> bool:
    """Every word of the search is a whole word of the text (exact, any order)."""
    found = set(tokens(text))
    return bool(query_words) and all(q in found for q in query_words)


def _compact(text: str) -> str:
    return "".join(tokens(text))


@dataclass(frozen=True)
class Terms:
    """What the search box held, read every way it can be: always as words (a name, an
    address, the description), and also as a reference, a date or a postcode if it is one."""

    words: list[str]
    reference: str = ""
    date_of_birth: datetime.date | None = None
    postcode: str = ""

    @property
    def kinds(self) -> list[str]:
        """How the search was read, for the audit log: the kinds, never the words."""
        found = ["words"] if self.words else []
        found += [k for k in ("reference", "date_of_birth", "postcode") if getattr(self, k)]
        return found

    @property
    def key(self) -> str:
        """A keyed hash of the words, for the audit log: equal for the same words in any
        order or case, so an investigator who holds the key can test a name against the log,
        and nobody reading the log learns what was searched."""
        text = " ".join(sorted(self.words))
        return salted_hmac("requests_app.search", text, algorithm="sha256").hexdigest()[:32]


class SearchTermsError(ValueError):
    pass


def read_terms(text: str) -> Terms:
    """The search box's text, checked against its bounds."""
    text = text.strip()
    if not text:
        raise SearchTermsError("Enter a reference, a name, a date of birth, a postcode or words")
    if len(text) > SEARCH_LENGTH:
        raise SearchTermsError(f"Search for {SEARCH_LENGTH} characters or fewer")
    words = tokens(text)
    if len(words) > SEARCH_WORDS:
        raise SearchTermsError(f"Search for {SEARCH_WORDS} words or fewer")
    reference = text.upper() if _REFERENCE.fullmatch(text) else ""
    postcode_match = _POSTCODE.fullmatch(text)
    postcode = "".join(postcode_match.groups()).lower() if postcode_match else ""
    return Terms(words=words, reference=reference, date_of_birth=_date(text), postcode=postcode)


def _date(text: str) -> datetime.date | None:
    for layout in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, layout).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


@dataclass
class Match:
    request: InformationRequest
    fields: list[Field] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.request.pk

    @property
    def field_labels(self) -> list[str]:
        return [f.label for f in self.fields]


@dataclass
class Found:
    matches: list[Match]
    # More requests matched than are listed: the officer should narrow the search.
    more: bool


# Candidates -------------------------------------------------------------------------


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _trigram_floor(word: str) -> float:
    """The least trigram word similarity (PostgreSQL ``word_similarity``) a name word
    within ``allowed_edits`` of ``word`` can have, so the index never drops a match.

    ``word`` has n + 1 trigrams; each edit spoils at most four of them (an adjacent swap),
    and the name's word has at most n + 1 + edits: the whole-word extent scores at least
    shared / (query + word - shared). A three-letter word keeps its first letter's trigram.
    """
    query = len(word) + 1
    edits = allowed_edits(word)
    shared = max(query - 4 * edits, 1 if len(word) == 3 else 0)
    if edits == 0:
        return 0.99
    return max(shared / (2 * query + edits - shared) - 0.01, 0.0)


def _name_candidates(people: QuerySet[NamedPerson], words: list[str]) -> QuerySet[NamedPerson]:
    if not _postgres():
        return people
    floors = sorted(((_trigram_floor(w), w) for w in words), reverse=True)
    indexed = [(floor, word) for floor, word in floors if floor > 0]
    # Every word that can use the GIN index does, through ``%>``, in one index scan: the
    # index hands over only the names near all of them, and few heap rows are read. Its
    # threshold is one setting, made local to the transaction: the lowest of their floors,
    # so that no word's own floor is undercut; each word's floor is then checked exactly.
    threshold = min(floor for floor, _word in indexed) if indexed else floors[0][0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(threshold)]
        )
    for _floor, word in indexed or floors[:1]:
        people = people.filter(full_name__trigram_word_similar=word)
    for n, (floor, word) in enumerate(indexed):
        if floor > threshold:
            people = people.alias(**{f"similar_{n}": TrigramWordSimilarity(word, "full_name")})
            people = people.filter(**{f"similar_{n}__gte": floor})
    return people


class _ILike(Lookup):
    """``ILIKE``, which the trigram index on the address serves (Django's ``icontains``
    compares ``UPPER(address)``, which no index holds)."""

    lookup_name = "ilike"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", (*lhs_params, *rhs_params)


def _address_candidates(people: QuerySet[NamedPerson], terms: Terms) -> QuerySet[NamedPerson]:
    # A substring of the address for every word (or both halves of the postcode): on
    # PostgreSQL each is a lookup in the address's trigram index. The pieces are letters
    # and digits only (``tokens``, ``_POSTCODE``): nothing in them is a LIKE wildcard.
    pieces = list(terms.words)
    if terms.postcode:
        pieces = [terms.postcode[:-3], terms.postcode[-3:]]
    for piece in pieces:
        if _postgres():
            people = people.filter(_ILike(F("address"), Value(f"%{piece}%")))
        else:
            people = people.filter(address__icontains=piece)
    return people


def _description_candidates(
    requests: QuerySet[InformationRequest], words: list[str]
) -> QuerySet[InformationRequest]:
    if _postgres():
        return requests.annotate(
            description_search=SearchVector("description", config="simple")
        ).filter(description_search=SearchQuery(" ".join(words), config="simple"))
    for word in words:
        requests = requests.filter(description__icontains=word)
    return requests


def _address_matches(terms: Terms, address: str) -> bool:
    if terms.postcode:
        return terms.postcode in _compact(address)
    return words_in(terms.words, address)


def _newest_matches(rows: Iterable[tuple[int, str]], matches: Callable[[str], bool]) -> set[int]:
    """The ids of the newest ``MAX_MATCHES + 1`` requests whose text matches: enough to list
    and to know whether there are more. ``rows`` are the candidates in any order: sorting
    them in SQL would tempt the planner to walk the whole table in that order."""
    found = {pk for pk, text in rows if matches(text)}
    return set(sorted(found, reverse=True)[: MAX_MATCHES + 1])


def _newest_in_chunks(
    rows: QuerySet[InformationRequest], matches: Callable[[str], bool]
) -> set[int]:
    """As ``_newest_matches``, for candidates that may be most of the table (words every
    description holds): newest first, a chunk at a time, until there are enough."""
    found: set[int] = set()
    ordered = rows.order_by("-pk").values_list("pk", "description")
    start = 0
    while len(found) <= MAX_MATCHES:
        chunk = list(ordered[start : start + CHUNK])
        found |= {pk for pk, text in chunk if matches(text)}
        if len(chunk) < CHUNK:
            break
        start += CHUNK
    return set(sorted(found, reverse=True)[: MAX_MATCHES + 1])


def _found_in(requests: QuerySet[InformationRequest], terms: Terms) -> dict[int, set[Field]]:
    """Request id -> the fields it matched on, checked by the rules above. Call inside a
    transaction: the trigram threshold is local to it."""
    found: dict[int, set[Field]] = {}

    def add(ids: Iterable[int], what: Field) -> None:
        for pk in ids:
            found.setdefault(pk, set()).add(what)

    people = NamedPerson.objects.filter(request__in=requests).order_by()
    if terms.reference:
        by_reference = requests.filter(reference=terms.reference).values_list("pk", flat=True)
        add(by_reference, Field.REFERENCE)
    if terms.date_of_birth:
        born = people.filter(date_of_birth=terms.date_of_birth).values_list("request_id", flat=True)
        add(sorted(set(born), reverse=True)[: MAX_MATCHES + 1], Field.DATE_OF_BIRTH)
    if terms.words and not terms.reference and not terms.date_of_birth:
        names = _name_candidates(people, terms.words).values_list("request_id", "full_name")
        add(_newest_matches(names, lambda n: name_matches(terms.words, n)), Field.NAME)
        addresses = _address_candidates(people, terms).values_list("request_id", "address")
        add(_newest_matches(addresses, lambda a: _address_matches(terms, a)), Field.ADDRESS)
        described = _description_candidates(requests, terms.words)
        add(
            _newest_in_chunks(described, lambda d: words_in(terms.words, d)),
            Field.DESCRIPTION,
        )
    return found


def search_requests(user: User, requests: QuerySet[InformationRequest], terms: Terms) -> Found:
    """The requests among ``requests`` (already filtered by need to know, through
    ``selectors.requests_visible_to``, and by the list's filters) that match ``terms`` in
    a part of the request this officer sees now; newest first."""
    with transaction.atomic():
        found = _found_in(requests, terms)
        # Every id in ``found`` came from a query of ``requests`` (need to know and the
        # list's filters): checking them again here would only make PostgreSQL read every
        # permission row of the officer's groups (49,399 for the MPS SPOC on the bench
        # data set) to test a page of ids.
        rows = (
            InformationRequest.objects.filter(pk__in=list(found))
            .select_related("requesting_agency", "target_agency", "requester")
            .prefetch_related("referrals")
            .order_by("-pk")
        )
        matches = []
        for request in rows[: MAX_MATCHES + 1]:
            parts = permissions.visible_parts(user, request)
            fields = [
                f
                for f in Field
                if f in found[request.pk] and (_PART_OF[f] is None or _PART_OF[f] in parts)
            ]
            if fields:
                matches.append(Match(request, fields))
    return Found(matches=matches[:MAX_MATCHES], more=len(matches) > MAX_MATCHES)
