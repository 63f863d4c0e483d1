"""Single sign-on per agency: an agency's officers may sign in through the agency's own
OpenID Connect identity provider (django-allauth's ``openid_connect`` provider).

- ``models``: one agency's sign-on settings (issuer, client, email domains, what counts as
  a second factor), the client secret kept encrypted.
- ``claims``: what an ID token says (verified email, second factor), read in one place.
- ``matching``: which portal account, if any, a sign-in through a provider belongs to.
- ``services``: the writes (settings changed, an account linked, a refusal), each audited.
- ``adapter``, ``stages``, ``middleware``: the hooks into allauth and the page.
"""
