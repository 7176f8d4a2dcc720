/**
 * Where an identity provider puts who someone is. Our own tokens (`npm run token`) carry `role`,
 * `actor` and `checkpoint` at the top level; providers as they come cannot always: Auth0 wants
 * custom claims namespaced by a URL ("https://orotrace.example/role"), Keycloak lists a person's
 * roles under `realm_access.roles` (an array, beside its own such as `offline_access`), and a
 * provider's role names are its administrators' ("orotrace-regulador"), not ours. So each of
 * the three is read at a configured claim path, and the provider's role names are mapped to ours.
 *
 * A claim path is either a JSON Pointer (RFC 6901), when it starts with "/"
 * ("/realm_access/roles"), or otherwise the name of a top-level claim taken as it is (so a
 * namespaced name with its dots and slashes needs no escaping).
 */
import { type Role, roles } from './vocabulary.js';

export interface ClaimMapping {
  role: string;
  actor: string;
  checkpoint: string;
  /** The provider's role names to ours; absent: ours, by name. */
  roleMap?: Record<string, Role>;
}

/** Our own tokens' claims. */
export const defaultClaimMapping: ClaimMapping = { role: 'role', actor: 'actor', checkpoint: 'checkpoint' };

/** The value at a claim path, or undefined. */
function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (!path.startsWith('/')) return payload[path];
  let here: unknown = payload;
  for (const raw of path.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof here !== 'object' || here === null) return undefined;
    here = Array.isArray(here) ? here[Number(key)] : (here as Record<string, unknown>)[key];
  }
  return here;
}

/**
 * The role a token names: the claim may be one name or a list of them (Keycloak's realm roles);
 * the names that map to one of ours are kept, and exactly one of ours must remain — a person with
 * two of our roles in the provider must be given one, or the token says nothing we can act on.
 */
function roleOf(value: unknown, map: ClaimMapping['roleMap']): { role: Role } | { problem: string } {
  const names =
    typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value.filter((v) => typeof v === 'string')
        : [];
  if (names.length === 0) return { problem: 'names no role' };
  const ours = [
    ...new Set(
      names.flatMap((n): Role[] => {
        if (map) return map[n] ? [map[n]] : [];
        return (roles as readonly string[]).includes(n) ? [n as Role] : [];
      }),
    ),
  ];
  if (ours.length === 0) return { problem: `names no role of orotrace (${names.slice(0, 5).join(', ')})` };
  if (ours.length > 1)
    return { problem: `names more than one role of orotrace (${ours.join(', ')}): give one` };
  return { role: ours[0] as Role };
}

/**
 * The claims our principal is made of (domain/shared/principal.ts claimsSchema), read from a
 * verified token's payload through the mapping; an unusable role is a message for the refusal.
 */
export function mappedClaims(
  payload: Record<string, unknown>,
  mapping: ClaimMapping,
): { claims: Record<string, unknown> } | { problem: string } {
  const role = roleOf(claimAt(payload, mapping.role), mapping.roleMap);
  if ('problem' in role) return { problem: `claim "${mapping.role}" ${role.problem}` };
  const actor = claimAt(payload, mapping.actor);
  const checkpoint = claimAt(payload, mapping.checkpoint);
  return {
    claims: {
      sub: payload.sub,
      role: role.role,
      ...(actor === undefined ? {} : { actor }),
      ...(checkpoint === undefined ? {} : { checkpoint }),
    },
  };
}

/**
 * JWT_ROLE_MAP as written in an environment: "provider-name=our-role" pairs separated by commas
 * ("orotrace-regulador=regulator,orotrace-puesto=checkpoint"); a name may map to one role only.
 */
export function parseRoleMap(text: string): Record<string, Role> | { problem: string } {
  const map: Record<string, Role> = {};
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    const name = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at <= 0 || !name) return { problem: `"${pair}" is not provider-role=our-role` };
    if (!(roles as readonly string[]).includes(role))
      return { problem: `"${role}" is not a role of orotrace (${roles.join(', ')})` };
    if (name in map && map[name] !== role) return { problem: `"${name}" is mapped to two roles` };
    map[name] = role as Role;
  }
  if (Object.keys(map).length === 0) return { problem: 'maps no role' };
  return map;
}
