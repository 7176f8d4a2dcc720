import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDue, autoAnalyzer } from '../../src/db/auto-analyze.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { adminDb } from '../helpers/db.js';
import { fillerEvents } from '../helpers/events.js';

let t: TestContext;
beforeAll(async () => {
  t = await testApp({ reset: true });
});

describe("autovacuum's analyze rule, for PGlite", () => {
  it('is due past 50 events and 10% more since the last ANALYZE, and not before', () => {
    expect(analyzeDue(50, 0)).toBe(false);
    expect(analyzeDue(51, 0)).toBe(true);
    expect(analyzeDue(1150, 1000)).toBe(false);
    expect(analyzeDue(1151, 1000)).toBe(true);
    expect(analyzeDue(100_000, 100_000)).toBe(false);
  });

  it('analyzes at the first run, then only when the log grew enough', async () => {
    const errors: unknown[] = [];
    // As the embedded database's one user runs it (on PostgreSQL the owner would: the app's role
    // may not analyze tables it does not own, and only gets warnings).
    const auto = autoAnalyzer(await adminDb(), (err) => errors.push(err));
    expect(await auto.run()).toBe(true);
    await fillerEvents(t.db, 10);
    expect(await auto.run()).toBe(false);
    await fillerEvents(t.db, 60);
    expect(await auto.run()).toBe(true);
    expect(errors).toEqual([]);
  });
});
