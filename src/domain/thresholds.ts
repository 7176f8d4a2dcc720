/**
 * The thresholds of the screening rules and checks, in one versioned place; each cites where its
 * figure comes from. Changing a figure means bumping `version`, which flags and verdicts record.
 */
export const thresholds = {
  version: '2026-11-26.2',
  scan: {
    // Two weighings of one lot differ by scale error and handling loss: OIML R 76-1 (2006) Table 6
    // allows a class III scale ±1.5 e at mid load; 0.5 % or 0.5 g, whichever is larger, covers
    // field balances with e = 0.1 g while catching a swapped or shaved lot.
    weightTolerancePercent: 0.5,
    weightToleranceMinG: '0.500',
  },
  inspection: {
    // Fuel is gauged by volume, and volume grows with temperature: about 0.08 %/°C for diesel and
    // 0.095 %/°C for gasoline (API MPMS Ch. 11.1 volume correction factors); a load filled in the
    // Andes at ~10 °C and gauged in the lowlands at ~30 °C may read ~2 % more, plus the 0.5 %
    // maximum permissible error of a class 0.5 meter (OIML R 117-1:2019). Hence 2.5 % or 2 L.
    L: { tolerancePercent: 2.5, toleranceMin: '2.000' },
    // Mercury is weighed: OIML R 76-1 (2006) class III scales, as for lots, at 0.5 %; 0.1 kg
    // covers field scales with e = 50 g (1.5 e at mid load) on a small consignment.
    kg: { tolerancePercent: 0.5, toleranceMin: '0.100' },
  },
} as const;
