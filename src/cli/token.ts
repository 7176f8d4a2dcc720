import { parseArgs } from 'node:util';
import { z } from 'zod';
import { durationSeconds } from '../config.js';
import { loadNodeConfig } from '../config.node.js';
import { claimsSchema } from '../domain/shared/principal.js';
import { roles } from '../domain/shared/vocabulary.js';
import { loadOrCreateKey } from '../keys/local.js';
import { mintToken } from '../keys/tokens.js';

/**
 * npm run token -- --role R [--actor ID] [--checkpoint ID] [--ttl 1h] [--sub S]
 * Prints the bare token alone on stdout, signed with the local key in DATA_DIR.
 */
const usage =
  'usage: npm run token -- --role checkpoint|exporter|regulator|admin [--actor ID] [--checkpoint ID] [--ttl 1h] [--sub S]';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    actor: { type: 'string' },
    checkpoint: { type: 'string' },
    ttl: { type: 'string', default: '1h' },
    sub: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const role = z.enum(roles).safeParse(values.role);
if (!role.success) {
  console.error(`--role must be one of ${roles.join(', ')}\n${usage}`);
  process.exit(2);
}
const claims = claimsSchema.safeParse({
  sub: values.sub ?? 'cli',
  role: role.data,
  actor: values.actor,
  checkpoint: values.checkpoint,
});
if (!claims.success) {
  console.error(claims.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  process.exit(2);
}
if (!/^\d+\s*[smhdw]$/.test(values.ttl ?? '')) {
  console.error('--ttl must look like 30m, 1h, 7d');
  process.exit(2);
}
const config = loadNodeConfig();
const ttlSeconds = durationSeconds(values.ttl ?? '') ?? Number.POSITIVE_INFINITY;
if (ttlSeconds > config.TOKEN_MAX_LIFETIME) {
  console.error(
    `--ttl ${values.ttl} is longer than TOKEN_MAX_LIFETIME (${config.TOKEN_MAX_LIFETIME} s): the server would refuse the token`,
  );
  process.exit(2);
}
const key = await loadOrCreateKey(config.DATA_DIR, 'auth');
const token = await mintToken(
  key,
  { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
  { role: role.data, actor: values.actor, checkpoint: values.checkpoint, ttl: values.ttl, sub: values.sub },
);
process.stdout.write(`${token}\n`);
