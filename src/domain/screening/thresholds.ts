/**
 * The thresholds of the screening rules and checks, in one versioned place; each cites where its
 * figure comes from. Changing a figure means bumping `version`, which flags and verdicts record.
 * Figures that are engineering judgement rather than law or measurement say so: they are the
 * ones a regulator should calibrate first (the balances endpoints show the numbers they act on).
 */
/** A month's reference figures (money.references): exact decimals as text. */
export interface MonthlyReference {
  goldUsdPerOz: string;
  penPerUsd: string;
  usdPerEur: string;
}

/** The months from `from` to `to` (YYYY-MM, inclusive), each with the same figures. */
function provisionalMonths(from: string, to: string, r: MonthlyReference): Record<string, MonthlyReference> {
  const out: Record<string, MonthlyReference> = {};
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let month = from; month <= to; ) {
    out[month] = r;
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
    month = `${y}-${String(m).padStart(2, '0')}`;
  }
  return out;
}

export const thresholds = {
  version: '2026-12-07.2',
  scan: {
    // Two weighings of one lot differ by scale error and handling loss: OIML R 76-1 (2006) allows
    // a class III scale ±0.5 e, ±1 e and ±1.5 e on initial verification as the load rises (to 500 e,
    // 2,000 e and above), twice that in service; 0.5 % or 0.5 g, whichever is larger, covers field
    // balances with e = 0.1 g while catching a swapped or shaved lot (the margin is judgement).
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
      // A micro-zoning unit (Zonificación Ecológica y Económica at meso/micro scale, D.S.
      // 087-2004-PCM) whose permitted uses leave mining out: the ZEE orients land use rather than
      // prohibiting by itself, so gold from there is suspect, not illegal by that alone: medium.
      micro_zoning: 'medium',
    },
    // Severity by the zone's legal basis, over its kind: where the zone's legal_basis matches the
    // pattern (PostgreSQL regular expression, case-insensitive), the severity is this one. In
    // Madre de Dios, D.U. 012-2010 (Decreto de Urgencia N° 012-2010, which declared the
    // ordering of gold mining there of national interest) excludes small-scale gold mining from
    // the whole department outside the mining corridor its annex draws, and the Tambopata buffer
    // zone lies outside it: mining there is not a permit question but excluded outright, and is
    // illegal mining (Código Penal art. 307-A). So a buffer zone imported with that norm as its
    // legal basis is critical, other buffer zones stay high (README: importing zones).
    legalBasisSeverity: [
      {
        kind: 'buffer_zone',
        pattern: '\\m(d\\.?\\s*u\\.?|decreto\\s+de\\s+urgencia)\\s*(n\\S*\\s*)?0*12\\s*-\\s*2010',
        severity: 'critical',
      },
    ],
  },
  corridor: {
    // ORIGIN_OUTSIDE_MINING_CORRIDOR. D.U. N.° 012-2010 (Decreto de Urgencia that declared the
    // ordering of gold mining in Madre de Dios of national necessity) draws the department's
    // mining corridor (coordinates in its Anexo 1) and excludes gold mining from the rest of the
    // department: gold won there cannot be formalized, and mining it is illegal mining (Código
    // Penal art. 307-A). High rather than critical: an origin point is a declared GPS fix, and one
    // just outside the corridor's edge may be an error of a few hundred metres (distanceM in the
    // evidence lets a reviewer tell), while a protected area's critical flag needs no such doubt.
    severity: 'high',
  },
  methods: {
    // MINING_METHOD_FORBIDDEN. D.L. 1100 (2012, regulating the interdiction of illegal mining)
    // art. 5 prohibits dredges and similar devices in every watercourse, river, lake, lagoon,
    // oxbow, wetland and aguajal of the country; in Madre de Dios D.U. 012-2010 had already banned
    // them from its rivers. Every alluvial dredge works a water body, so gold a producer won while
    // declaring the dredge as its method was won with a banned method: high (critical is kept for
    // places where mining itself is a crime, which the zone rules judge).
    forbidden: { dredge: 'high' },
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
    // A custodian buying gold without being in the trader registry (DL 1107, control of the
    // transport and commercialization of the mining product of illegal mining; the special
    // registry of gold traders and processors, "comercializadores y procesadores de oro", kept by
    // the Ministry of Energy and Mines): high when never registered or revoked; medium while
    // merely suspended (the registration may be reinstated). Judgement on the split.
    traderSeverity: { none: 'high', revoked: 'high', suspended: 'medium' },
  },
  capacity: {
    // What a concession can plausibly yield, judged at several time scales so that a burst of
    // gold in a few weeks shows even when the year stays under its ceiling.
    //
    // Basis 1, the concession's area: fine gold per hectare of concession per year. The figure
    // comes from mined ground, not from titles: gold mining had cleared about 95,750 ha of forest
    // in the southern Peruvian Amazon by 2017 (Caballero Espejo et al. 2018, Remote Sensing
    // 10(12):1903), and Madre de Dios's yearly gold output, official and informal, is commonly
    // put at some 15–20 t (order of magnitude from public estimates; not a figure of that paper):
    // ~0.2 kg per hectare of mined footprint per year. 1.5 kg/ha/yr is ~8× that average, applied
    // as if every hectare of the concession were worked: judgement, deliberately generous,
    // because a title's area says nothing about how much of it is mined — which is why, where
    // remote sensing looks at the concession, the mined-area basis below also applies.
    fineKgPerHaYear: 1.5,
    // Basis 2, the mined area detected on the concession (footprints of a detection layer whose
    // coverage holds the concession, observed up to the window's end, intersected with it and
    // weighted by the source's mined share). Per hectare of footprint the regional average is
    // ~0.2 kg/yr (above); new ground is richer: the forest cleared by mining ran at several
    // thousand hectares a year in the 2010s (Caballero Espejo et al. 2018; Asner & Tupayachi
    // 2017, Environ. Res. Lett. 12:094004, document the same expansion, into protected areas
    // and buffer zones), i.e. a few kg of gold per newly cleared hectare. 5 kg/ha/yr per
    // hectare of footprint is ~25× the average and above the yield of freshly opened ground:
    // judgement, so that only gold far beyond the mining seen on the ground is flagged.
    // Applies when some mining is seen; none at all is NO_MINING_FOOTPRINT's finding.
    minedFineKgPerHaYear: 5,
    // A layer judges windows ending up to this long after its last observed day: mining opened
    // since the last image is not yet in it. AMW publishes yearly, lately quarterly: judgement.
    footprintStaleDays: 365,
    // The time scales. Pro-rata of the annual ceiling would flag honest seasonal producers:
    // alluvial gold in Madre de Dios is won mostly in the dry season (rains run roughly
    // November–April and flood the beaches and pits), so a producer may win much of a year's
    // gold in a few months. Each window's capacity is the annual one × days ÷ 365 × peakFactor:
    // 30 days at 6× (49 % of a year's capacity in a month: room for two lots four weeks apart,
    // each a month's gold of a producer winning 95 % of its capacity in four months), 90 days at
    // 3.8× (94 % in a quarter: a year's capacity won evenly in 3¼ months stays under it). A year's gold in a few weeks does not.
    // A factor of 365/90 or more would make the quarter no stricter than the year. The factors
    // are judgement, not measurement.
    windows: [
      { days: 30, peakFactor: 6 },
      { days: 90, peakFactor: 3.8 },
      { days: 365, peakFactor: 1 },
    ],
    // The balance endpoint's default window.
    windowDays: 365,
    // Basis 3, the legal category of the concession's holder in force on the window's end
    // (actor_categories): the law caps a productor minero artesanal's and a pequeño productor
    // minero's installed capacity (TUO de la Ley General de Minería, D.S. 014-92-EM, art. 91 as
    // set by Ley 27651 art. 10 and D.L. 1040; reglamento D.S. 013-2002-EM, replaced by D.S.
    // 005-2009-EM). The capacity is a daily maximum, so a window's ceiling is the daily one × its
    // days (no seasonal peak on top). Medium and large mining (régimen general) have no ceiling.
    categories: {
      // PMA: up to 1,000 ha, 25 t/day of ore, or 200 m³/day of placer gravels (gravas auríferas de placer).
      artisanal: { maxHa: 1000, oreTonnesPerDay: 25, placerM3PerDay: 200 },
      // PPM: up to 2,000 ha, 350 t/day of ore, or 3,000 m³/day of placer gravels.
      small_producer: { maxHa: 2000, oreTonnesPerDay: 350, placerM3PerDay: 3000 },
    },
    // From a capacity in ore to a ceiling in fine gold: grade. Alluvial gravels of Madre de Dios
    // are worked at fractions of a gram of gold per m³ (order of magnitude reported in field
    // studies of the region; not a figure checked against one): 1 g/m³ is judgement, generous, so
    // that only gold no legal plant of the category could wash is flagged. Hard rock: 20 g/t is a
    // high-grade vein (judgement). Alluvial, dredge and hydraulic methods wash placer gravels; an
    // undeclared method takes whichever ceiling is larger.
    placerFineGPerM3: 1,
    oreFineGPerTonne: 20,
  },
  inputs: {
    // Mercury lost per gold produced: concentrate amalgamation about 1–1.3 kg Hg per kg Au,
    // whole-ore amalgamation 3 kg or more (Telmer & Veiga 2009, "World emissions of mercury from
    // ASGM", in Mercury Fate and Transport in the Global Atmosphere, Springer; UNEP/AGC "Reducing
    // Mercury Use in ASGM: A Practical Guide", 2012). These are the sources' global ratios; no
    // source at hand gives one for Madre de Dios (the figure of about 2 once cited here to the
    // policy brief is not in it). Gold beyond what the most efficient practice could win with
    // the mercury received is out of proportion.
    minMercuryKgPerKgGold: 1.0,
    // The reverse (diversion): mercury beyond what even wasteful whole-ore amalgamation would
    // use for the gold declared. Whole-ore ratios run from 3:1 upwards (same sources); 5:1 is
    // judgement, leaving room for stock carried over between windows.
    maxMercuryKgPerKgGold: 5.0,
    // Fuel: a suction rig ("chupadera") or a "carranchera" burns on the order of 100–200 L of
    // diesel a day and recovers on the order of 10–50 g of gold: 2–20 L/g. Orders of magnitude
    // of the kind field studies describe (e.g. Mosquera et al. 2009, "Estudio diagnóstico de la
    // actividad minera artesanal en Madre de Dios", Fundación Conservación Internacional), not
    // figures checked against that text. 2 g per litre is judgement, ~10× the most productive of
    // them, so that only gold no recorded fuel could move is flagged.
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
    // 27693 art. 9; Res. SBS 789-2018, Registro de Operaciones — the general figure, fairly sure;
    // not checked against the text in force for gold traders); gold lots kept just under that
    // value avoid the register. The value is converted to fine grams at a reference price.
    reportingThresholdUsd: 10_000,
    // Reference price of fine gold, US$ per gram: LBMA gold price order of magnitude in late 2026
    // (about US$ 4,000 per troy ounce of 31.1 g). Update it with the price; it sets the band.
    // It agrees with the dated table of money.references within a few per cent (a test holds
    // them together); a fixed figure keeps the structuring threshold stable between months.
    referenceUsdPerFineG: 128,
    // "Just under": within 10 % below the threshold (FATF, "Money laundering and terrorist
    // financing risks and vulnerabilities associated with gold", 2015, lists structuring of
    // gold sales below reporting thresholds as a red flag; the band is judgement).
    bandPercent: 10,
    // How many such lots by one producer or custodian in the window make a pattern: judgement.
    minLots: 3,
    windowDays: 30,
    // Lots handed on (transferred or exported, lot_transfers) by one actor in the band: the same
    // count within this many days makes a pattern — the parts of a split cut just under the
    // threshold and passed on together. A week: judgement.
    handOnWindowDays: 7,
    // Multiple operations: Ley 27693 art. 9 has the obligated subjects (among them whoever trades,
    // imports or exports raw or semi-processed gold, Res. SBS 789-2018 art. 3.19) register
    // operations that, each under the single-operation threshold, add up in a calendar month, by
    // or for one person, to US$ 50,000 or more. Fairly sure of the general figure; not verified
    // that the sector's norm sets no other figure for gold traders — check the text in force
    // before relying on it. Counted here per actor and counterpart, in Peru's calendar month
    // (UTC−5, no daylight saving), at the reference price.
    multipleOperationsUsd: 50_000,
  },
  money: {
    // Peru's bancarización law (Ley 28194, "Ley para la lucha contra la evasión y para la
    // formalización de la economía", art. 4 as amended by Decreto Legislativo 1529 of March
    // 2022, in force from 1 April 2022; before it S/ 3,500 or US$ 1,000): obligations of
    // S/ 2,000 or US$ 500 and more must be paid through the financial system ("medios de
    // pago": deposit, transfer, cheque "no negociable", card…), not in cash. A PEN amount is
    // judged against the soles figure, a US$ amount against the dollar figure, a EUR amount
    // converted to US$ at the month's rate. (Sources read: NUBECONT, "Nuevos límites aplicados
    // a la bancarización 2022"; Bloomberg Línea, 2 March 2022, on the decree's approval.)
    cashThresholdPen: '2000.00',
    cashThresholdUsd: '500.00',
    // Cash of the size Peru's financial intelligence unit has registered (US$ 10,000, Ley 27693
    // art. 9; Res. SBS 789-2018) is high; cash above the bancarización figure but below it is
    // medium: the law is fiscal (art. 8: a payment made otherwise gives no deduction and no tax
    // credit) and spares places with no financial-system presence, but paying cash for gold is
    // the facturadora's and the launderer's route (FATF, "ML/TF risks and vulnerabilities
    // associated with gold", 2015, red flags: large cash purchases of gold). The split is
    // judgement.
    cashHighUsd: 10_000,
    // PRICE_ANOMALY's band on the price paid per fine gram over the month's reference price.
    // Below: informal buyers in Madre de Dios are reported to pay 5–15 % under the international
    // price (the range this project was given; the primary study is still to be cited here).
    // Add a refiner's margin and assay loss (~1–3 %), a fineness declared a few per cent off
    // the assay, and the month's range around its average (gold moved
    // ±8 % inside some months of 2025). 0.70 (30 % under) leaves room for all of these
    // together: a price below it is gold sold at a discount no honest seller accepts — gold of
    // illegal origin, or an invoice written for less gold than it documents (facturadora).
    // Above: no buyer pays over the international price for doré; assay (+5 %) and the month's
    // range (+8 %) allow ~1.15; 1.20 and more is over-invoicing to move money (FATF 2015,
    // trade-based laundering through gold). Both figures are judgement.
    priceLowRatio: '0.70',
    priceHighRatio: '1.20',
    // Monthly reference figures, by month (UTC) of the hand-over: the LBMA Gold Price PM
    // monthly average (US$ per fine troy ounce of 31.1034768 g; LBMA / ICE Benchmark
    // Administration, lbma.org.uk "Precious metal prices"), the BCRP's monthly average of the
    // interbank exchange rate (S/ per US$, sale; BCRP Estadísticas) and the ECB's monthly
    // average euro reference rate (US$ per EUR; ECB Data Portal, EXR.M.USD.EUR.SP00.A).
    // 2025-01..2025-11 are those published series as recalled (gold to the dollar, rates to the
    // third or fourth decimal), not fetched on the machine that wrote them: check them against
    // the sources before relying on them (an error of 1–2 % is well inside the band). Months after
    // `publishedThrough` are provisional: they carry the last published month forward until the
    // real averages replace them, and a flag judged on one says so in its evidence. A month
    // outside the table is judged on the nearest month it holds. Changing the table means a new
    // thresholds version; flags record the version they were judged under.
    publishedThrough: '2025-11',
    references: {
      '2025-01': { goldUsdPerOz: '2709', penPerUsd: '3.751', usdPerEur: '1.0354' },
      '2025-02': { goldUsdPerOz: '2894', penPerUsd: '3.692', usdPerEur: '1.0413' },
      '2025-03': { goldUsdPerOz: '2983', penPerUsd: '3.663', usdPerEur: '1.0807' },
      '2025-04': { goldUsdPerOz: '3193', penPerUsd: '3.699', usdPerEur: '1.1214' },
      '2025-05': { goldUsdPerOz: '3279', penPerUsd: '3.665', usdPerEur: '1.1278' },
      '2025-06': { goldUsdPerOz: '3352', penPerUsd: '3.608', usdPerEur: '1.1516' },
      '2025-07': { goldUsdPerOz: '3340', penPerUsd: '3.573', usdPerEur: '1.1677' },
      '2025-08': { goldUsdPerOz: '3368', penPerUsd: '3.549', usdPerEur: '1.1645' },
      '2025-09': { goldUsdPerOz: '3665', penPerUsd: '3.503', usdPerEur: '1.1731' },
      '2025-10': { goldUsdPerOz: '4058', penPerUsd: '3.429', usdPerEur: '1.1630' },
      '2025-11': { goldUsdPerOz: '4087', penPerUsd: '3.380', usdPerEur: '1.1560' },
      ...provisionalMonths('2025-12', '2026-12', {
        goldUsdPerOz: '4087',
        penPerUsd: '3.380',
        usdPerEur: '1.1560',
      }),
    },
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
  receipt: {
    // A bar weighed at export and again at the refinery that receives it abroad: both weighings
    // are made on verified precision balances (OIML R 76-1 accuracy class II, verification
    // interval 0.01 g to 0.1 g for loads of a few kilograms, in-service maximum permissible error
    // ±3 e), and doré loses nothing measurable in a sealed transit. 0.1 % or 0.5 g, whichever is
    // larger, covers both balances' errors and residues on the bar's surface while catching gold
    // taken off (or added to) a bar between the two; the margin is judgement, to be calibrated
    // against refiners' receipt reports (LBMA Responsible Gold Guidance v9, step 2: refiners
    // reconcile received weights with the shipping documents).
    weightTolerancePercent: 0.1,
    weightToleranceMinG: '0.500',
  },
  qrCloned: {
    // Fastest plausible travel between two checkpoints, straight-line: 100 km/h is the highest
    // speed limit for cars on Peru's highways (Reglamento Nacional de Tránsito, DS 016-2009-MTC,
    // art. 162); straight-line distance understates the road, so this is generous.
    maxRoadSpeedKmh: 100,
    // Between two river posts (goods reach and leave both by boat): a "deslizador", the outboard
    // speedboat of the Madre de Dios rivers, planes at about 50–70 km/h with a 150–200 HP
    // engine; tourist and cargo operators from Puerto Maldonado quote half a day to the Bolivian
    // border at Puerto Pardo, ~55 km in a straight line. Judgement: 70 km/h, the top of that
    // range, in a straight line although the rivers meander (the river course is often 1.5–2×
    // the straight line), so that no honest boat trip is ever judged impossible. A leg with a
    // road post (or an airport, reached by road) at either end is judged at the road speed: the
    // goods may have gone most of the way by road, and the bound must stay above any honest trip.
    maxRiverSpeedKmh: 70,
    // Between two airports with no known air link that way (air_links): an airliner. The Airbus
    // A320 family that flies Peru's domestic routes cruises at Mach 0.78, about 830 km/h (Airbus,
    // A320 aircraft characteristics); 900 km/h in a straight line with no time on the ground leaves
    // room for a tailwind, so that no flight, scheduled or not, is ever taken for a clone: only a
    // pair no aircraft could link flags. Where a link is known, its minimum time (flight plus
    // handling, from the schedule) is the bound instead, which is sharper.
    maxAirSpeedKmh: 900,
  },
} as const;

/** The reporting threshold in fine grams at the reference price (structuring). */
export const structuringThresholdFineG =
  thresholds.structuring.reportingThresholdUsd / thresholds.structuring.referenceUsdPerFineG;
