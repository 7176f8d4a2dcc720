import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of orotrace's package.json, found by walking up from this module. The same folder is
 * found from the sources (src/, run by tsx and vitest) and from the bundles `npm run build` writes
 * (dist/server/, run by node), so files that ship beside the code — the migrations (drizzle/) and
 * the built web apps (dist/web/) — are found from either, whatever the working directory.
 */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'orotrace'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of orotrace above ${from}`);
  }
}
