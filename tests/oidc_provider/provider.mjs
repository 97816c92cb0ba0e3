// A real OpenID Connect provider for the sign-in tests: node's oidc-provider (a certified
// implementation) on 127.0.0.1, with its built-in development login (any password).
//
//   node provider.mjs PORT CONTROL_FILE
//
// The environment gives the client: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI and
// OIDC_POST_LOGOUT_REDIRECT_URI. CONTROL_FILE (JSON, read on every request) holds the users'
// claims and a mode, so a test can change a claim between two sign-ins or make the provider
// misbehave:
//   {"mode": "honest" | "wrong-audience" | "wrong-nonce" | "wrong-signature",
//    "users": {"alice": {"name": "...", "email": "...", "groups": ["..."]}}}
// In the three "wrong" modes the token endpoint's ID token is re-issued with another audience,
// another nonce, or signed with a key that is not the one the provider publishes.
import fs from 'node:fs';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const [port, controlFile] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const control = () => JSON.parse(fs.readFileSync(controlFile, 'utf8'));

const KID = 'signing-key';
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(privateKey)), kid: KID, use: 'sig', alg: 'RS256' };
const { privateKey: impostorKey } = await generateKeyPair('RS256');

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      post_logout_redirect_uris: [process.env.OIDC_POST_LOGOUT_REDIRECT_URI],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['tests-only-cookie-key'] },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        const user = control().users[id] || {};
        return {
          sub: id,
          preferred_username: id,
          name: user.name || id,
          email: user.email || `${id}@example.gov.uk`,
          email_verified: true,
          groups: user.groups || [],
        };
      },
    };
  },
});

async function tamper(idToken, mode) {
  const claims = decodeJwt(idToken);
  let key = privateKey;
  if (mode === 'wrong-audience') claims.aud = 'some-other-client';
  else if (mode === 'wrong-nonce') claims.nonce = 'a-nonce-from-another-sign-in';
  else if (mode === 'wrong-signature') key = impostorKey;
  else return idToken;
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(key);
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.method === 'POST' && ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
    const { mode } = control();
    if (mode && mode !== 'honest') {
      ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token, mode) };
    }
  }
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
