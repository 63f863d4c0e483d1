"""The message thread of a request: the requesting and the disclosing side writing to each
other, asking for clarification and answering it (which pauses and restarts the clock), with
files, and the "What changed" list of what is new on an officer's requests.

Who reads and writes a thread follows the request's need to know by stage
(``permissions.Part.MESSAGES``); ``selectors.thread_for`` is the one way messages are read,
and records the read.
"""
