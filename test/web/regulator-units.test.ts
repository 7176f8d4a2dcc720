/**
 * The console's small pure pieces: which lots of a provenance graph are bordered red, and the
 * accessible names made unique when a lot carries the same rule twice.
 */
import { describe, expect, it } from 'vitest';
import { uniqueNames } from '../../src/web/regulator/flags-i18n.js';
import { unresolvedByLot } from '../../src/web/regulator/graph.js';

describe('unresolvedByLot (the graph’s red border)', () => {
  it('counts open and escalated flags from the provenance, and from lots fetched beside it that it does not cover', () => {
    const counts = unresolvedByLot(
      [
        { subjectId: 'root', status: 'open' },
        { subjectId: 'root', status: 'dismissed' },
        { subjectId: 'child', status: 'escalated' },
      ],
      [
        { id: 'root', flags: [{ status: 'open' }, { status: 'dismissed' }] },
        // A merge's other input: its flags come with it, not with the provenance.
        { id: 'other-input', flags: [{ status: 'open' }, { status: 'open' }] },
        { id: 'clean', flags: [{ status: 'acknowledged' }] },
      ],
    );
    expect(Object.fromEntries(counts)).toEqual({ root: 1, child: 1, 'other-input': 2 });
  });
});

describe('uniqueNames', () => {
  it('keeps names that are unique and numbers the repeats in order', () => {
    expect(uniqueNames(['Escalar A de L1', 'Escalar A de L1', 'Escalar B de L1', 'Escalar A de L1'])).toEqual(
      ['Escalar A de L1', 'Escalar A de L1 (2)', 'Escalar B de L1', 'Escalar A de L1 (3)'],
    );
  });
});
