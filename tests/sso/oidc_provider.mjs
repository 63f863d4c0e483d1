// A real OpenID Connect provider for the single sign-on tests (npm "oidc-provider"), on
// 127.0.0.1 only. Started by tests/sso/provider.py:
//
//   node tests/sso/oidc_provider.mjs <port> <config.json>
//
// config.json: {"clients": [{client_id, client_secret, redirect_uris}],
//               "accounts": {"<sub>": {email, email_verified, amr, acr}},
//               "jwks": {"keys": [<private JWK>]}}
// The accounts are read again at each sign-in, so a test can add the ones it needs.
//
// The sign-in page asks only which account to be (there is no password): the tests are
// about what the portal does with the answer. Consent is given at once, as an
// organisation's own provider does for its own applications.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import querystring from 'node:querystring';

import Provider from 'oidc-provider';

const [port, configPath] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;
const accountsFor = () => JSON.parse(readFileSync(configPath, 'utf8')).accounts;

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...client,
  })),
  jwks: config.jwks,
  cookies: { keys: ['oidc-provider-test-cookie-key'] },
  claims: {
    // How the person signed in (RFC 8176 methods, assurance level): in every ID token.
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accountsFor()[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: account.email,
          email_verified: account.email_verified,
          name: account.name || sub,
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  ttl: { IdToken: 3600, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
});

function page(uid, message = '') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1>${message}
<form method="post" action="/interaction/${uid}">
<label for="account">Account</label> <input id="account" name="account" autocomplete="off">
<button type="submit">Continue</button></form></main></body></html>`;
}

async function interaction(req, res, uid) {
  if (req.method === 'GET') {
    await provider.interactionDetails(req, res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(uid));
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const sub = String(querystring.parse(body).account || '');
  const account = accountsFor()[sub];
  if (!account) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(uid, '<p>No such account.</p>'));
    return;
  }
  const login = { accountId: sub };
  if (account.amr) login.amr = account.amr;
  if (account.acr) login.acr = account.acr;
  await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const match = /^\/interaction\/([\w-]+)$/.exec(req.url.split('?')[0]);
  if (match) {
    interaction(req, res, match[1]).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
});
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`listening on ${issuer}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
