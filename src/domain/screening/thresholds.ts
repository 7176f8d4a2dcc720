/**
 * The thresholds of the screening rules and checks, in one versioned place; each cites where its
 * figure comes from. Changing a figure means bumping `version`, which flags and verdicts record.
 * Figures that are engineering judgement rather than law or measurement say so: they are the
 * ones a regulator should calibrate first (the balances endpoints show the numbers they act on).
 */
export const thresholds = {
  version: '2026-11-26.3',
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
  zones: {
    // Severity by zone kind. Mining inside a natural protected area or where it is banned is a
    // crime (Código Penal art. 307-A, minería ilegal; Ley 26834 de Áreas Naturales Protegidas);
    // in a buffer zone it needs SERNANP's favourable opinion (Ley 26834 art. 25, DS 038-2001-AG
    // art. 116), so gold from one is suspect rather than illegal by itself.
    severity: {
      protected_area: 'critical',
      mining_exclusion: 'critical',
      indigenous_territory: 'high',
      buffer_zone: 'high',
      other: 'medium',
    },
  },
  concessions: {
    // The declared concession as a title to the gold. Only a mining concession grants the right
    // to explore and exploit minerals (TUO de la Ley General de Minería, DS 014-92-EM, art. 9):
    // gold declared from a timber, chestnut or ecotourism right cannot be legal, hence critical.
    // An expired or cancelled title (caducidad, nulidad under the same law), or a right retired
    // before or granted after the extraction date, means gold mined without a right: high. A
    // petition still in process is not yet a right but is the usual state of miners being
    // formalized: medium (judgement).
    statusSeverity: { in_process: 'medium', expired: 'high', cancelled: 'high' },
    notMiningSeverity: 'critical',
    outOfTermSeverity: 'high',
    // Overlap evidence carries the overlap as GeoJSON; above this many vertices it is simplified
    // (ST_SimplifyPreserveTopology) with this tolerance in degrees (~1 m at the equator), enough
    // to see it on a map without shipping a cadastre. Judgement.
    overlapMaxVertices: 500,
    overlapSimplifyDeg: 0.00001,
  },
  registrations: {
    // Severity of gold from a producer not formalized at the extraction date or at the lot's
    // registration date (DESIGN: "in process = lower severity"). Peru's formalization of small
    // and artisanal miners (DL 1105, DL 1293; REINFO under DS 018-2017-EM) lets a miner "in
    // process" keep working while the steps run: medium. No registration, or a suspended one,
    // means extraction without the permit the law requires (mining outside the process is
    // illegal mining, Código Penal art. 307-A): high. A revoked registration is the
    // "facturador" route (gold sold under a registration that no longer covers it): critical.
    formalizationSeverity: { in_process: 'medium', none: 'high', suspended: 'high', revoked: 'critical' },
    // A custodian buying gold without being in the trader registry (DL 1107 control of the
    // distribution and commercialization of gold from small-scale mining; the registry of
    // gold traders, "comercializadores"): high when never registered or revoked; medium while
    // merely suspended (the registration may be reinstated). Judgement on the split.
    traderSeverity: { none: 'high', revoked: 'high', suspended: 'medium' },
  },
  capacity: {
    // Ceiling on fine gold per hectare of concession per year. Madre de Dios produced roughly
    // 16–18 t of gold a year around 2010 (Swenson et al. 2011, PLoS ONE 6(4):e18875) on a mined
    // footprint that reached ~96,000 ha by 2017 (Caballero Espejo et al. 2018, Remote Sensing
    // 10(12):1903): ~0.2 kg/ha/yr on average. 1.5 kg/ha/yr is ~8× that average: judgement, set
    // high so that only production no concession of that size could plausibly yield is flagged.
    fineKgPerHaYear: 1.5,
    windowDays: 365,
  },
  inputs: {
    // Mercury lost per gold produced: concentrate amalgamation 1–1.3 kg Hg per kg Au, whole-ore
    // amalgamation 3 kg or more (Telmer & Veiga 2009, "World emissions of mercury from ASGM",
    // in Mercury Fate and Transport in the Global Atmosphere, Springer; UNEP/AGC "Reducing
    // Mercury Use in ASGM: A Practical Guide", 2012); about 2 in Madre de Dios (policy brief).
    // Gold beyond what the most efficient practice could win with the mercury received is
    // out of proportion.
    minMercuryKgPerKgGold: 1.0,
    // The reverse (diversion): mercury beyond what even wasteful whole-ore amalgamation would
    // use for the gold declared. Whole-ore ratios run from 3:1 upwards (same sources); 5:1 is
    // judgement, leaving room for stock carried over between windows.
    maxMercuryKgPerKgGold: 5.0,
    // Fuel: a suction rig ("chupadera") or a "carranchera" burns on the order of 100–200 L of
    // diesel a day and recovers on the order of 10–50 g of gold (field descriptions in Mosquera
    // et al. 2009, "Estudio diagnóstico de la actividad minera artesanal en Madre de Dios",
    // Fundación Conservación Internacional): 2–20 L/g. 2 g per litre is judgement, ~10× the
    // most productive of those figures, so that only gold no recorded fuel could move is flagged.
    maxFineGPerLitre: 2.0,
    // Gold declared in a window is set against inputs received in the same window plus a lead
    // (mercury and fuel are bought before the gold is won). Judgement: one season of work.
    windowDays: 180,
    leadDays: 60,
    // Below this much fine gold in a window the comparison is noise (a few grams of panning).
    minWindowFineG: 100,
    // Diversion is judged on inputs received at least `lagDays` ago (the gold they make is
    // declared later) and only from this much mercury up: judgement, a month's work of one rig.
    lagDays: 60,
    minDiversionMercuryKg: 2.0,
  },
  structuring: {
    // Peru's financial intelligence unit has operations of US$ 10,000 or more registered (Ley
    // 27693 art. 9; Res. SBS 789-2018, Registro de Operaciones); gold lots kept just under that
    // value avoid the register. The value is converted to fine grams at a reference price.
    reportingThresholdUsd: 10_000,
    // Reference price of fine gold, US$ per gram: LBMA gold price order of magnitude in late 2026
    // (about US$ 4,000 per troy ounce of 31.1 g). Update it with the price; it sets the band.
    referenceUsdPerFineG: 128,
    // "Just under": within 10 % below the threshold (FATF, "Money laundering and terrorist
    // financing risks and vulnerabilities associated with gold", 2015, lists structuring of
    // gold sales below reporting thresholds as a red flag; the band is judgement).
    bandPercent: 10,
    // How many such lots by one producer or custodian in the window make a pattern: judgement.
    minLots: 3,
    windowDays: 30,
  },
  detections: {
    // Remote sensing (detection_layers, mining_detections). Amazon Mining Watch classifies
    // Sentinel-2 imagery (10 m bands: ESA Sentinel-2 User Handbook, 2015) in tiles of 48 × 48 px
    // (its model outputs are named "48px_…", ../shared/data SOURCES.md §6), ~480 m on a side: a
    // footprint is placed to within about one tile. Gold declared from a concession with no
    // footprint in it nor within one tile of it (rounded up to 500 m) shows no mining the layer
    // could see.
    concessionDistanceM: 500,
    // An origin point is where the gold was dug: it should lie in or next to a detected pit. Two
    // tiles (1 km) leave room for a camp or a GPS fix taken away from the pit: judgement.
    originDistanceM: 1000,
    // A lot extracted after a layer's last period may come from a pit dug since that image. A pit
    // producing gold has usually been worked for months (judgement), so a layer still judges lots
    // extracted up to this long after its last period, at a lower severity; later ones are not
    // judged. Judgement: one year, the span of one AMW annual diff.
    graceDays: 365,
    // Severity. Inside the layer's periods, gold from a concession where no mining shows is the
    // "paper concession" pattern (a title used to launder gold dug elsewhere): high. In the grace
    // the image may predate the mine: medium. An origin far from every footprint is weaker (the
    // point may be mis-typed): medium. Judgement, to calibrate against field inspections.
    noFootprintSeverity: 'high',
    noFootprintGraceSeverity: 'medium',
    originFarSeverity: 'medium',
    // Metres in one degree of longitude at 60° of latitude (111,320 × cos 60°): a box expanded by
    // distance / this many degrees holds every point within that distance up to 60° (for the
    // bounding-box prefilter on the GiST index before the exact geodesic ST_DWithin). Geometry.
    metresPerDegreeAt60: 55_660,
  },
  qrCloned: {
    // Fastest plausible travel between two checkpoints, straight-line: 100 km/h is the highest
    // speed limit for cars on Peru's highways (Reglamento Nacional de Tránsito, DS 016-2009-MTC,
    // art. 162); straight-line distance understates the road, so this is generous.
    maxRoadSpeedKmh: 100,
  },
} as const;

/** The reporting threshold in fine grams at the reference price (structuring). */
export const structuringThresholdFineG =
  thresholds.structuring.reportingThresholdUsd / thresholds.structuring.referenceUsdPerFineG;
