import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimMapping } from '../../src/domain/shared/claims.js';
import { ApiError } from '../../src/domain/shared/errors.js';
import { createTokenVerifier } from '../../src/http/auth.js';

/*
 * A real, certified OpenID Connect provider (panva's oidc-provider, OpenID Certified) run in this
 * process: it signs RS256 access tokens with its own keys and publishes them through its discovery
 * document, as Keycloak, Auth0 or a government provider does. Each client below puts the claims
 * where one kind of provider does; the verifier is configured, never given a key.
 */

const checkpointId = '01a2b3c4-0000-7000-8000-00000000c0de';
const actorId = '01a2b3c4-0000-7000-8000-00000000ac70';

/** What each client's tokens carry, as such a provider would write them. */
const claimsByClient: Record<string, Record<string, unknown>> = {
  // Keycloak: realm roles in an array, beside its own.
  keycloak: { realm_access: { roles: ['offline_access', 'uma_authorization', 'orotrace-regulador'] } },
  // Auth0: custom claims namespaced by a URL.
  auth0: { 'https://orotrace.example/role': 'puesto', 'https://orotrace.example/checkpoint': checkpointId },
  // Two of our roles at once: nothing we can act on.
  ambiguous: { realm_access: { roles: ['orotrace-regulador', 'orotrace-admin'] } },
  // An exporter without its actor.
  actorless: { realm_access: { roles: ['orotrace-exportador'] } },
  exporter: { realm_access: { roles: ['orotrace-exportador'] }, orotrace_actor: actorId },
};

let server: Server;
let issuer: string;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: Object.keys(claimsByClient).map((client_id) => ({
      client_id,
      client_secret: `${client_id}-secret`,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    })),
    features: {
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'https://api.orotrace.test',
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: 'orotrace',
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) => claimsByClient[String(token.clientId)] ?? {},
  });
  server.on('request', provider.callback());
});
afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

/** An access token from the provider's token endpoint (client credentials grant). */
async function tokenFor(client: string): Promise<string> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client}:${client}-secret`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`token endpoint: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

const keycloak: ClaimMapping = {
  role: '/realm_access/roles',
  actor: 'orotrace_actor',
  checkpoint: 'checkpoint',
  roleMap: {
    'orotrace-regulador': 'regulator',
    'orotrace-admin': 'admin',
    'orotrace-exportador': 'exporter',
  },
};
const auth0: ClaimMapping = {
  role: 'https://orotrace.example/role',
  actor: 'https://orotrace.example/actor',
  checkpoint: 'https://orotrace.example/checkpoint',
  roleMap: { puesto: 'checkpoint' },
};
const verifierFor = (claims: ClaimMapping, iss = issuer) =>
  createTokenVerifier({ keys: { discover: iss }, issuer: iss, audience: 'orotrace', claims });

describe('tokens of a standard OpenID Connect provider, by configuration alone', () => {
  it('the tokens are the provider’s own: RS256, signed with a key only its discovery names', async () => {
    const token = await tokenFor('keycloak');
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
      alg: string;
    };
    expect(header.alg).toBe('RS256');
  });

  it('reads Keycloak-style realm roles, mapped to ours', async () => {
    const principal = await verifierFor(keycloak)(await tokenFor('keycloak'));
    expect(principal).toEqual({ sub: 'keycloak', role: 'regulator' });
    expect(await verifierFor(keycloak)(await tokenFor('exporter'))).toEqual({
      sub: 'exporter',
      role: 'exporter',
      actorId,
    });
  });

  it('reads Auth0-style namespaced claims', async () => {
    expect(await verifierFor(auth0)(await tokenFor('auth0'))).toEqual({
      sub: 'auth0',
      role: 'checkpoint',
      checkpointId,
    });
  });

  it.each([
    ['two of our roles at once', 'ambiguous', keycloak, /more than one role of orotrace/],
    ['an exporter without its actor', 'actorless', keycloak, /actor/],
    ['roles under another claim than configured', 'keycloak', auth0, /names no role/],
  ])('refuses %s, saying why', async (_, client, mapping, why) => {
    const refusal = await verifierFor(mapping)(await tokenFor(client)).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).code).toBe('unauthenticated');
    expect((refusal as ApiError).message).toMatch(why);
  });

  it('refuses a provider whose discovery names another issuer, and answers 503 when it cannot be read', {
    timeout: 30_000,
  }, async () => {
    const token = await tokenFor('keycloak');
    // Configured with a trailing slash: the discovery document's issuer is not that string.
    const other = await verifierFor(keycloak, `${issuer}/`)(token).catch((e: unknown) => e);
    expect((other as ApiError).code).toBe('unavailable');
    expect((other as ApiError).message).toMatch(/configuration of issuer/);
    const down = await verifierFor(keycloak, 'http://127.0.0.1:9')(token).catch((e: unknown) => e);
    expect((down as ApiError).code).toBe('unavailable');
    // One that accepts and never answers is given up on (else this test times out), not waited for by every request.
    const silent = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const hung = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const waited = await verifierFor(keycloak, hung)(token).catch((e: unknown) => e);
    expect((waited as ApiError).code).toBe('unavailable');
    silent.closeAllConnections();
    await new Promise<void>((done) => silent.close(() => done()));
  });

  it('a token whose signature is not the provider’s is refused', async () => {
    const token = await tokenFor('keycloak');
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
    const refusal = await verifierFor(keycloak)(forged).catch((e: unknown) => e);
    expect((refusal as ApiError).code).toBe('unauthenticated');
  });
});
