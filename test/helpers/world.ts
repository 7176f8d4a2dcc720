import { type TestContext, testApp } from './app.js';
import { holdsSnapshotOf, restoreSnapshot, takeSnapshot } from './db.js';

/**
 * A world built once per test file and put back before each of its tests. `build` runs through
 * the API on an empty database the first time; the tables it filled are then copied aside, and
 * each later call restores them in one statement (test/helpers/db.ts) instead of repeating the
 * HTTP writes. Every test thus starts from the same rows, ids, lot codes and unsequenced events
 * as if it had built the world itself, with a fresh app over them.
 *
 * Call it at a test file's top level (one per file, or per describe with its own world) and
 * await the returned function in `beforeEach`. If another file's world has replaced the snapshot
 * in the meantime, it is built again.
 */
export function worldPerFile<W>(
  build: (t: TestContext) => Promise<W>,
): () => Promise<{ t: TestContext; w: W }> {
  const owner = {};
  let built: { w: W } | undefined;
  return async () => {
    if (built === undefined || !holdsSnapshotOf(owner)) {
      const t = await testApp();
      built = { w: await build(t) };
      await takeSnapshot(owner);
      return { t, w: built.w };
    }
    const t = await testApp({ reset: false });
    await restoreSnapshot();
    return { t, w: built.w };
  };
}
