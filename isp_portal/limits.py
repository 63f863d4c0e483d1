"""Upper bounds on what officers type (docs/security.md, "Bounds on every input").

Every free-text field of every model and form has one, checked by the form before any work
is done: an unbounded answer is unbounded work for the PDF renderer, the CSV export and
every page that shows it.
"""

# A free-text answer: about eight printed pages. Longer material goes in an attached file.
TEXT_LENGTH = 20_000
# A one-line answer on a form that has no model field behind it.
LINE_LENGTH = 250
# What an officer types into the search box: a name, a date, a postcode or a few words.
SEARCH_LENGTH = 100
SEARCH_WORDS = 8
# A message on a request's thread: a few paragraphs. Longer material goes in an attached file.
MESSAGE_LENGTH = 5_000
