// A real OpenID Connect provider for the sign-in tests: panva/oidc-provider (OpenID Certified),
// with one confidential client and its development login and consent pages.
//
//   node tests/oidc/provider/server.mjs <port> <redirect_uri>
//
// Listens on 127.0.0.1 only. The package comes from the folder named by OIDC_PROVIDER_MODULES
// (tests/oidc/conftest.py installs it there with `npm ci` from this folder's lock file).
// The login page accepts any password; the login name picks one of ACCOUNTS below.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [port, redirectUri] = process.argv.slice(2);
if (!port || !redirectUri) {
  console.error('usage: node server.mjs <port> <redirect_uri>');
  process.exit(2);
}
const modules = process.env.OIDC_PROVIDER_MODULES;
const resolved = createRequire(join(modules, 'package.json')).resolve('oidc-provider');
const { default: Provider } = await import(pathToFileURL(resolved).href);

// The people who can sign in. Keep in step with tests/oidc/conftest.py.
const ACCOUNTS = {
  anna: { email: 'Anna.de.Vries@Rivierstad.nl', email_verified: true, given_name: 'Anna', family_name: 'de Vries' },
  bram: { email: 'bram.nieuw@rivierstad.nl', email_verified: true, given_name: 'Bram', family_name: 'Nieuw' },
  carla: { email: 'carla@elders.example', email_verified: true, given_name: 'Carla', family_name: 'Elders' },
  dirk: { email: 'dirk@rivierstad.nl', email_verified: false, given_name: 'Dirk', family_name: 'Onbevestigd' },
};

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: 'coconnect',
    client_secret: 'coconnect-test-secret-only-for-loopback',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name'],
  },
  // Coconnect sends PKCE; insisting on it here proves that it does.
  pkce: { required: () => true },
  cookies: { keys: ['coconnect-test-cookie-key-only-for-loopback'] },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: `sub-${id}`, ...account };
      },
    };
  },
});

const server = provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
