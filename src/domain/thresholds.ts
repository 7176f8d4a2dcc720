/**
 * The thresholds of the screening rules and checks, in one versioned place; each cites where its
 * figure comes from. Changing a figure means bumping `version`, which flags and verdicts record.
 */
export const thresholds = {
  version: '2026-11-26.1',
  scan: {
    // Two weighings of one lot differ by scale error and handling loss: OIML R 76-1 (2006) Table 6
    // allows a class III scale ±1.5 e at mid load; 0.5 % or 0.5 g, whichever is larger, covers
    // field balances with e = 0.1 g while catching a swapped or shaved lot.
    weightTolerancePercent: 0.5,
    weightToleranceMinG: '0.500',
  },
} as const;
