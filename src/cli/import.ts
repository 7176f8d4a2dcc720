import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { loadNodeConfig } from '../config.node.js';
import { openDatabase, pgliteDir } from '../db/node.js';
import {
  coverageOf,
  type DetectionImportSummary,
  importDetections,
  importDistricts,
} from '../domain/reference/detections.js';
import {
  type ConcessionMapping,
  type ImportOverlaps,
  type ImportProgress,
  type ImportSummary,
  importConcessions,
  importZones,
  readFeatureCollection,
  skippedByReason,
  skipReasons,
  type ValueSource,
  type ZoneMapping,
} from '../domain/reference/import.js';
import {
  concessionKinds,
  concessionStatuses,
  detectionKinds,
  zoneKinds,
} from '../domain/shared/vocabulary.js';
import { loadLedgerKey } from '../services.node.js';

/**
 * npm run import -- zones|concessions|detections|districts FILE.geojson [options]
 * Thin shell over domain/reference/import.ts: options, the file, the progress bar and the summary.
 */
const usage = `usage: npm run import -- zones|concessions|detections|districts FILE.geojson [options]

Records each Polygon or MultiPolygon feature of a GeoJSON FeatureCollection (RFC 7946, WGS84
longitude/latitude) as a zone or a concession, with its ledger event, as the API would. A feature
that cannot be recorded is skipped with its reason. Re-running a file records only what is missing.

An attribute comes from one value for every feature (--kind protected_area) or from a property
of each feature (--kind-field anp_cate); --name-field takes several fields joined with spaces
(--name-field anp_cate,anp_nombre).

zones
  --name TEXT | --name-field F[,F…]    default: --name-field name
  --kind K | --kind-field F            ${zoneKinds.join(', ')}
  --legal-basis TEXT | --legal-basis-field F
  --valid-from DATE | --valid-from-field F
  --valid-to DATE | --valid-to-field F          optional
  --id-field F      a feature's stable id; default its GeoJSON id, else its name. Recorded as
                    sourceRef "<file name>#<id>", which is how a re-run knows it is imported.
concessions
  --code-field F                       cadastre code, default: code. A code already recorded is skipped.
  --name TEXT | --name-field F[,F…]    default: --name-field name
  --concession-kind K | --kind-field F ${concessionKinds.join(', ')}
  --status S | --status-field F        ${concessionStatuses.join(', ')}
  --granted-on-field F                 optional
  --holder-tax-id-field F              optional; the holder's tax id (RUC). The actor must be
                                       registered already: an unknown holder skips the feature.
  --overlaps skip|except               a feature over rights in force (beyond a sliver of
                                       digitising; other features of the file included) is
                                       skipped (default), or imported with each overlap filed as
                                       an open overlap case, under the exception's legal basis:
  --overlap-legal-basis TEXT           required with --overlaps except
  Every overlap met is listed in a table of pairs with their areas.
detections   a remote-sensing layer: dated mining footprints (Polygon/MultiPolygon) or alert
             points (Point), each with a period ("2019", "2025Q2" or a day YYYY-MM-DD) and a stable
             reference (source_path + source_index, else the feature id)
  --source S                           the dataset, e.g. amw (required)
  --layer-name TEXT                    (required)
  --attribution TEXT                   licence and citation, as the source asks (required)
  --detection-kind K                   ${detectionKinds.join(', ')} (default footprint)
  --coverage FILE.geojson              where the layer looks (a Polygon/MultiPolygon, a Feature or
                                       a FeatureCollection of them). Required: outside it, no
                                       detection means nothing, so there is no default — a hull of
                                       the detections would claim to have looked where it did not.
  The whole file is one transaction: a bad feature refuses the file (each bad feature named) and
  nothing is written. An invalid footprint is repaired with ST_MakeValid (its polygons kept) and
  listed; one with no area left refuses the file. A re-run adds a new layer row (the latest of a
  source is in force) and skips detections already held. The lots the layer can judge are
  screened again (NO_MINING_FOOTPRINT, ORIGIN_FAR_FROM_FOOTPRINT).
districts    INEI district limits (properties departamento, provincia, distrito) into admin_areas,
             one transaction; a re-run skips districts held.
common
  --make-valid      repair invalid geometry with PostGIS ST_MakeValid instead of skipping it
  -h, --help

Dates are YYYY-MM-DD (a timestamp keeps its date; JavaScript date text such as
"Tue Dec 30 2025 00:00:00 GMT-0500" is read as the date it shows).

Database: the server's. DATABASE_URL, else the embedded PGlite in DATA_DIR (default ./data).
PGlite is single-process: stop the server before importing into its DATA_DIR folder.

zones and concessions: each feature is recorded in its own transaction: an interrupted run keeps
what it recorded, and running it again records the rest.

Exit status: 0 when the run completed, even with skipped features; 1 when the file cannot be
read or is not a FeatureCollection, or the database fails; 2 on bad options.`;

const stringOption = { type: 'string' } as const;
const options = {
  name: stringOption,
  'name-field': stringOption,
  kind: stringOption,
  'kind-field': stringOption,
  'legal-basis': stringOption,
  'legal-basis-field': stringOption,
  'valid-from': stringOption,
  'valid-from-field': stringOption,
  'valid-to': stringOption,
  'valid-to-field': stringOption,
  'id-field': stringOption,
  'code-field': stringOption,
  'concession-kind': stringOption,
  status: stringOption,
  'status-field': stringOption,
  'granted-on-field': stringOption,
  'holder-tax-id-field': stringOption,
  overlaps: stringOption,
  'overlap-legal-basis': stringOption,
  source: stringOption,
  'layer-name': stringOption,
  attribution: stringOption,
  'detection-kind': stringOption,
  coverage: stringOption,
  'make-valid': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
type Values = ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];

const common = ['name', 'name-field', 'kind-field', 'make-valid', 'help'];
const applies: Record<Target, string[]> = {
  detections: ['source', 'layer-name', 'attribution', 'detection-kind', 'coverage', 'help'],
  districts: ['help'],
  zones: [
    ...common,
    'kind',
    'legal-basis',
    'legal-basis-field',
    'valid-from',
    'valid-from-field',
    'valid-to',
    'valid-to-field',
    'id-field',
  ],
  concessions: [
    ...common,
    'code-field',
    'concession-kind',
    'status',
    'status-field',
    'granted-on-field',
    'holder-tax-id-field',
    'overlaps',
    'overlap-legal-basis',
  ],
};

const targets = ['zones', 'concessions', 'detections', 'districts'] as const;
type Target = (typeof targets)[number];

/** Bad options: exit status 2 with the message and the usage. */
class UsageError extends Error {}

type Command =
  | { help: true }
  | { help: false; target: 'zones'; file: string; makeValid: boolean; mapping: ZoneMapping }
  | {
      help: false;
      target: 'concessions';
      file: string;
      makeValid: boolean;
      mapping: ConcessionMapping;
      overlaps: ImportOverlaps;
    }
  | { help: false; target: 'detections'; file: string; layer: LayerOptions }
  | { help: false; target: 'districts'; file: string };

interface LayerOptions {
  source: string;
  name: string;
  attribution: string;
  kind: (typeof detectionKinds)[number];
  coverageFile: string;
}

function parseCommandLine(): Command {
  const { values, positionals } = parseArgs({ options, allowPositionals: true });
  if (values.help) return { help: true };
  const [first, file, ...rest] = positionals;
  const target = targets.find((t) => t === first);
  if (!target) throw new UsageError(`say first what to import: ${targets.join(', ')}`);
  if (!file) throw new UsageError('name the GeoJSON file to import');
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  for (const key of Object.keys(values)) {
    if (!applies[target].includes(key)) throw new UsageError(`--${key} does not apply to ${target}`);
  }
  if (target === 'districts') return { help: false, target, file };
  if (target === 'detections') return { help: false, target, file, layer: layerOptions(values) };
  const common = { help: false as const, file, makeValid: values['make-valid'] ?? false };
  return target === 'zones'
    ? { ...common, target, mapping: zoneMapping(values) }
    : { ...common, target, mapping: concessionMapping(values), overlaps: overlapMode(values) };
}

interface SourceOptions {
  /** The option giving one value for all features when not named like the attribute; false: none. */
  valueKey?: string | false;
  /** The property read when neither option is given. */
  defaultField?: string;
  /** Checks the one value up front, so that a typo fails before the database is opened. */
  check?: z.ZodType;
  /** Several comma-separated fields, joined with spaces (names only). */
  list?: boolean;
}

/** An attribute's source from `--<key>` (one value) or `--<key>-field` (a property), never both. */
function sourceOf(values: Values, key: string, opts: SourceOptions = {}): ValueSource | undefined {
  const valueKey = opts.valueKey ?? key;
  const value = valueKey ? values[valueKey as keyof Values] : undefined;
  const field = values[`${key}-field` as keyof Values];
  if (typeof value === 'string' && typeof field === 'string') {
    throw new UsageError(`give --${valueKey} or --${key}-field, not both`);
  }
  if (typeof value === 'string') return { value: checkedValue(`--${valueKey}`, value, opts.check) };
  const fieldName = typeof field === 'string' ? field : opts.defaultField;
  if (fieldName === undefined) return undefined;
  const fields = (opts.list ? fieldName.split(',') : [fieldName]).map((f) => f.trim()).filter(Boolean);
  if (fields.length === 0) throw new UsageError(`--${key}-field needs a property name`);
  return { fields };
}

function requiredSourceOf(values: Values, key: string, opts: SourceOptions = {}): ValueSource {
  const source = sourceOf(values, key, opts);
  if (!source) {
    const valueKey = opts.valueKey ?? key;
    throw new UsageError(valueKey ? `give --${valueKey} or --${key}-field` : `give --${key}-field`);
  }
  return source;
}

function checkedValue(option: string, value: string, check: z.ZodType | undefined): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new UsageError(`${option} is empty`);
  const checked = check?.safeParse(trimmed);
  if (checked && !checked.success) {
    throw new UsageError(`${option} ${JSON.stringify(value)}: ${checked.error.issues[0]?.message}`);
  }
  return trimmed;
}

const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
const oneOf = (values: readonly [string, ...string[]]) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

function zoneMapping(values: Values): ZoneMapping {
  return {
    name: requiredSourceOf(values, 'name', { defaultField: 'name', list: true }),
    kind: requiredSourceOf(values, 'kind', { check: oneOf(zoneKinds) }),
    legalBasis: requiredSourceOf(values, 'legal-basis'),
    validFrom: requiredSourceOf(values, 'valid-from', { check: isoDate }),
    validTo: sourceOf(values, 'valid-to', { check: isoDate }),
    idField: values['id-field'],
  };
}

function layerOptions(values: Values): LayerOptions {
  const required = (key: 'source' | 'layer-name' | 'attribution' | 'coverage') => {
    const value = values[key];
    if (typeof value !== 'string') throw new UsageError(`give --${key}`);
    return checkedValue(`--${key}`, value, undefined);
  };
  const kind = values['detection-kind'] ?? 'footprint';
  return {
    source: required('source'),
    name: required('layer-name'),
    attribution: required('attribution'),
    kind: checkedValue('--detection-kind', kind, oneOf(detectionKinds)) as LayerOptions['kind'],
    coverageFile: required('coverage'),
  };
}

function concessionMapping(values: Values): ConcessionMapping {
  return {
    code: requiredSourceOf(values, 'code', { valueKey: false, defaultField: 'code' }),
    name: requiredSourceOf(values, 'name', { defaultField: 'name', list: true }),
    kind: requiredSourceOf(values, 'kind', { valueKey: 'concession-kind', check: oneOf(concessionKinds) }),
    status: requiredSourceOf(values, 'status', { check: oneOf(concessionStatuses) }),
    grantedOn: sourceOf(values, 'granted-on', { valueKey: false }),
    holderTaxId: sourceOf(values, 'holder-tax-id', { valueKey: false }),
  };
}

function overlapMode(values: Values): ImportOverlaps {
  const mode = checkedValue('--overlaps', values.overlaps ?? 'skip', oneOf(['skip', 'except']));
  const basis = values['overlap-legal-basis'];
  if (mode === 'skip') {
    if (basis !== undefined) throw new UsageError('--overlap-legal-basis goes with --overlaps except');
    return { mode };
  }
  if (basis === undefined) throw new UsageError('--overlaps except needs --overlap-legal-basis');
  return { mode: 'except', legalBasis: checkedValue('--overlap-legal-basis', basis, undefined) };
}

async function readFeatures(file: string): Promise<unknown[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  return readFeatureCollection(doc);
}

/** A bar on an interactive terminal only: in CI the log would fill with redraws. */
function progressBar(total: number): { update(p: ImportProgress): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  return featureBar(total);
}

function featureBar(total: number): { update(p: ImportProgress): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format:
        ' {bar} {value}/{total} features | imported {imported} | skipped {skipped} | {eta_formatted} left',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { imported: 0, skipped: 0 });
  let running = true;
  return {
    update: (p) => bar.update(p.done, { imported: p.imported, skipped: p.skipped }),
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function describeSummary(target: string, file: string, s: ImportSummary, seconds: number): string {
  const lines = [
    `${target} from ${file}: ${s.total} features, imported ${s.imported.length}, skipped ${s.skipped.length} (${seconds.toFixed(1)} s)`,
  ];
  for (const [reason, items] of skippedByReason(s)) {
    lines.push(`  skipped, ${skipReasons[reason]} (${items.length}):`);
    for (const i of items) lines.push(`    [${i.index}] ${i.label ?? '(no name)'}: ${i.detail}`);
  }
  if (s.overlaps.length > 0) {
    lines.push(`  overlaps (${s.overlaps.length}):`);
    lines.push(
      '    feature | code | overlapped right (kind, holder) | in file | ha | % of feature | % of other | outcome',
    );
    const pct = (share: string) => `${(Number(share) * 100).toFixed(1)} %`;
    for (const o of s.overlaps) {
      lines.push(
        `    [${o.index}] ${o.label ?? '(no name)'} | ${o.code} | ${o.other.code} ${o.other.name} (${o.other.kind}, ${o.other.holderName ?? 'no holder'}) | ${o.inFile ? 'yes' : 'no'} | ${o.overlapHa} | ${pct(o.shareOfFiled)} | ${pct(o.shareOfOther)} | ${o.outcome === 'skipped' ? 'skipped' : 'imported, case opened'}`,
      );
    }
  }
  const repaired = s.imported.filter((i) => i.repairedFrom);
  if (repaired.length > 0) {
    lines.push(`  repaired with ST_MakeValid (${repaired.length}):`);
    for (const i of repaired) lines.push(`    [${i.index}] ${i.label ?? '(no name)'}: was ${i.repairedFrom}`);
  }
  return lines.join('\n');
}

/**
 * Progress of a layer imported in batches: a bar on a terminal; elsewhere (CI, a log) one plain
 * line per batch, a few dozen for the largest layer.
 */
function batchProgress(
  what: string,
  total: number,
): { update(p: { done: number; total: number }): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = featureBar(total);
    return { update: (p) => bar.update({ ...p, imported: p.done, skipped: 0 }), stop: () => bar.stop() };
  }
  return {
    update: (p) => process.stderr.write(`${what}: ${p.done}/${p.total} features checked and written\n`),
    stop: () => {},
  };
}

function describeLayer(file: string, s: DetectionImportSummary, seconds: number): string {
  const r = s.rescreening;
  const lines = [
    `detections from ${file}: ${s.total} features, imported ${s.imported}, already held ${s.alreadyHeld} (${seconds.toFixed(1)} s)`,
    `  layer ${s.layerId}: periods ${s.observedFrom} to ${s.observedTo}`,
    `  screened again: ${r.lotsScreened} lots, ${r.flagsRaised} flags raised, ${r.flagsInherited} inherited`,
  ];
  if (s.repaired.length > 0) {
    lines.push(`  repaired with ST_MakeValid (${s.repaired.length}):`);
    for (const i of s.repaired) lines.push(`    [${i.index}] ${i.sourceRef}: was ${i.reason}`);
  }
  return lines.join('\n');
}

async function openForImport() {
  const config = loadNodeConfig();
  // Its events are signed with the server's key, or the sequencer would refuse them.
  await loadLedgerKey(config);
  return openDatabase({
    url: config.DATABASE_URL,
    migrationUrl: config.MIGRATION_DATABASE_URL,
    dataDir: pgliteDir(config.DATA_DIR),
  });
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** A layer or the districts: checked whole, written in one transaction. */
async function importLayer(cmd: Extract<Command, { target: 'detections' | 'districts' }>): Promise<void> {
  const features = await readFeatures(cmd.file);
  const coverage =
    cmd.target === 'detections'
      ? coverageOf(await readJson(cmd.layer.coverageFile), cmd.layer.coverageFile)
      : undefined;
  const database = await openForImport();
  const progress = batchProgress(cmd.target, features.length);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    if (cmd.target === 'detections' && coverage) {
      const { coverageFile: _, ...layer } = cmd.layer;
      const s = await importDetections(
        database.db,
        basename(cmd.file),
        features,
        { ...layer, coverage },
        {
          onProgress: progress.update,
        },
      );
      progress.stop();
      console.log(describeLayer(cmd.file, s, seconds()));
    } else {
      const s = await importDistricts(database.db, basename(cmd.file), features, {
        onProgress: progress.update,
      });
      progress.stop();
      console.log(
        `districts from ${cmd.file}: ${s.total} features, imported ${s.imported}, already held ${s.alreadyHeld} (${seconds().toFixed(1)} s)` +
          s.repaired
            .map((r) => `\n  repaired with ST_MakeValid: [${r.index}] ${r.name}: was ${r.reason}`)
            .join(''),
      );
    }
  } finally {
    progress.stop();
    await database.close();
  }
}

async function importFile(cmd: Exclude<Command, { help: true }>): Promise<void> {
  if (cmd.target === 'detections' || cmd.target === 'districts') return importLayer(cmd);
  const features = await readFeatures(cmd.file);
  const config = loadNodeConfig();
  // Its events are signed with the server's key, or the sequencer would refuse them.
  await loadLedgerKey(config);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    migrationUrl: config.MIGRATION_DATABASE_URL,
    dataDir: pgliteDir(config.DATA_DIR),
  });
  const bar = progressBar(features.length);
  const started = performance.now();
  try {
    const opts = { source: basename(cmd.file), makeValid: cmd.makeValid, onProgress: bar.update };
    const summary =
      cmd.target === 'zones'
        ? await importZones(database.db, features, { ...opts, mapping: cmd.mapping })
        : await importConcessions(database.db, features, {
            ...opts,
            mapping: cmd.mapping,
            overlaps: cmd.overlaps,
          });
    bar.stop();
    console.log(describeSummary(cmd.target, cmd.file, summary, (performance.now() - started) / 1000));
  } finally {
    bar.stop();
    await database.close();
  }
}

async function main(): Promise<number> {
  let cmd: Command;
  try {
    cmd = parseCommandLine();
  } catch (e) {
    // parseArgs throws TypeErrors coded ERR_PARSE_ARGS_* for unknown or malformed options.
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(e as Error).message}\n(npm run import -- --help lists the options)`);
      return 2;
    }
    throw e;
  }
  if (cmd.help) {
    console.log(usage);
    return 0;
  }
  await importFile(cmd);
  return 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`import failed: ${(e as Error).message}`);
  process.exitCode = 1;
}
