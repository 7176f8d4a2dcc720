import { SignJWT } from 'jose';
import type { Role } from '../domain/shared/vocabulary.js';
import { keyAlg, type SigningKey } from './signing.js';

export interface TokenRequest {
  role: Role;
  sub?: string;
  actor?: string;
  checkpoint?: string;
  /** Lifetime as jose accepts it: "1h", "30m", "7d". */
  ttl?: string;
}

/** Mints an access token as the local identity provider of the embedded default. */
export async function mintToken(
  key: SigningKey,
  opts: { issuer: string; audience: string },
  req: TokenRequest,
): Promise<string> {
  const claims: Record<string, string> = { role: req.role };
  if (req.actor) claims.actor = req.actor;
  if (req.checkpoint) claims.checkpoint = req.checkpoint;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: keyAlg, kid: key.kid, typ: 'JWT' })
    .setSubject(req.sub ?? `${req.role}:${req.actor ?? req.checkpoint ?? 'local'}`)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt()
    .setExpirationTime(req.ttl ?? '12h')
    .sign(key.privateKey);
}
