// A real OpenID Provider (oidc-provider 9, certified) for Tessera's sign-in tests, on 127.0.0.1 and a free port.
//
// Usage: node oidc-provider-server.mjs ACCOUNT GROUPS
//   ACCOUNT  the test account's id and preferred_username (e.g. alice)
//   GROUPS   its groups claim, separated by semicolons (e.g. "lib-staff;cn=readers,ou=groups")
// It prints "port N" once listening, then reads one line from standard input: the client's redirect URI (Tessera's
// port is known only once it runs), registers the client tessera-test / tessera-secret with it and prints "ready".
// Its interaction logs the test account in and grants what the client asked for, without any page: the tests drive
// the whole authorization code flow over HTTP.
import http from 'node:http';
import readline from 'node:readline';

const { default: Provider } = await import(new URL('../../../web/node_modules/oidc-provider/lib/index.js', import.meta.url));

const [account = 'alice', groups = ''] = process.argv.slice(2);
let provider;

const server = http.createServer(async (req, res) => {
  if (!provider) {
    res.writeHead(503).end('not ready');
    return;
  }
  if (req.url.startsWith('/interaction/')) {
    try {
      const { prompt, params, session, grantId } = await provider.interactionDetails(req, res);
      if (prompt.name === 'login') {
        await provider.interactionFinished(req, res, { login: { accountId: account } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      const { details } = prompt;
      if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
      if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
    return;
  }
  provider.callback()(req, res);
});

server.listen(0, '127.0.0.1', () => {
  console.log(`port ${server.address().port}`);
});

const lines = readline.createInterface({ input: process.stdin });
lines.once('line', (redirectUri) => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: [{
      client_id: 'tessera-test',
      client_secret: 'tessera-secret',
      redirect_uris: [redirectUri.trim()],
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'groups'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, preferred_username: id, name: `Test ${id}`, groups: groups.split(';').filter(Boolean) };
        },
      };
    },
  });
  // http on loopback: the provider's cookies must not demand https.
  provider.proxy = false;
  console.log('ready');
});
lines.on('close', () => server.close(() => process.exit(0)));
