import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRegistrationSchema } from '../../src/domain/reference/actors.js';
import { withheldKey } from '../../src/domain/screening/evidence-seen.js';
import { flagReviewSchema } from '../../src/domain/screening/flag-review.js';
import * as vocabulary from '../../src/domain/shared/vocabulary.js';
import * as words from '../../src/domain/shared/words.js';
import {
  evidenceKeys,
  evidenceLabel,
  evidenceLines,
  evidenceSentence,
  isHiddenEvidenceKey,
} from '../../src/web/shared/evidence.js';
import { rawWordIn } from './raw-words.js';

/**
 * Every key a screening rule writes into a flag's evidence, read from the rules' SQL: the first
 * argument of each pair of every jsonb_build_object(...) in src/domain/screening/rules/*.ts, at
 * any depth (nested objects are shown as "label: value" too).
 */
function ruleEvidenceKeys(): Map<string, string[]> {
  const dir = resolve('src/domain/screening/rules');
  const keys = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const src = readFileSync(resolve(dir, file), 'utf8');
    for (const m of src.matchAll(/jsonb?_build_object\s*\(/g)) {
      const args: string[] = [];
      let depth = 0;
      let cur = '';
      for (let i = (m.index ?? 0) + m[0].length; i < src.length; i++) {
        const ch = src[i] as string;
        if (ch === "'") {
          const end = src.indexOf("'", i + 1);
          cur += src.slice(i, end + 1);
          i = end;
          continue;
        }
        if (ch === '$' && src[i + 1] === '{') {
          // A template interpolation: skipped whole, braces balanced.
          let braces = 0;
          for (; i < src.length; i++) {
            if (src[i] === '{') braces++;
            else if (src[i] === '}' && --braces === 0) break;
          }
          cur += '<interpolation>';
          continue;
        }
        if (ch === '(') depth++;
        if (ch === ')') {
          if (depth === 0) {
            args.push(cur);
            break;
          }
          depth--;
        }
        if (ch === ',' && depth === 0) {
          args.push(cur);
          cur = '';
          continue;
        }
        cur += ch;
      }
      args.forEach((a, k) => {
        const literal = /^'([^']*)'$/.exec(a.trim());
        if (k % 2 === 0 && literal?.[1]) keys.set(literal[1], [...(keys.get(literal[1]) ?? []), file]);
      });
    }
  }
  return keys;
}

describe('evidence in words', () => {
  it('every key any rule writes into evidence is worded in Spanish and English, or hidden (ids, boxes, areas)', () => {
    const keys = ruleEvidenceKeys();
    // The walk itself finds the keys the issue named.
    for (const k of ['otherName', 'overlapSimplified', 'movementsCounted', 'zoneName', 'scan'])
      expect(keys.has(k), k).toBe(true);
    expect(keys.size).toBeGreaterThan(150);
    const unworded = [...keys.keys()].filter(
      (k) =>
        !isHiddenEvidenceKey(k) &&
        (!(evidenceKeys as readonly string[]).includes(k) ||
          evidenceLabel(k, 'es') === k ||
          evidenceLabel(k, 'en') === k),
    );
    expect(unworded.map((k) => `${k} (${keys.get(k)?.join(', ')})`)).toEqual([]);
  });

  it('what parties see of evidence is worded too: the count of lots withheld from a list', () => {
    // Written by evidence-seen.ts, not by a rule's SQL, so the walk above does not find it.
    expect((evidenceKeys as readonly string[]).includes(withheldKey)).toBe(true);
    expect(evidenceLabel(withheldKey, 'es')).not.toBe(withheldKey);
    expect(evidenceLabel(withheldKey, 'en')).not.toBe(withheldKey);
    expect(isHiddenEvidenceKey(withheldKey)).toBe(false);
  });

  it('codes among the values are worded, numbers follow es-PE, booleans say sí/no', () => {
    const evidence = {
      concessionId: '0b7d2c4e-0000-4000-8000-000000000000',
      code: '07-000123',
      otherName: 'Maderera Los Amigos',
      otherKind: 'timber',
      otherStatus: 'titled',
      overlapHa: '1250.5000',
      overlapShare: '0.1250',
      overlapSimplified: true,
      originInOverlap: false,
      overlap: { type: 'Polygon', coordinates: [] },
      movementsCounted: 3,
      input: 'mercury',
      quota: '6000.000',
      operation: 'export',
      payment: { method: 'cash', reference: null },
      from: { id: 'x', taxId: '20600000011', name: 'Minera Guacamayo SAC' },
      registration: { id: 'y', status: 'in_process', validFrom: '2026-01-05' },
      fastestRoute: 'air_link',
      finding: 'scan_after_end',
      lotStatus: 'exported',
      endedBy: 'lot.exported',
      checkpointMode: 'river',
    };
    const text = evidenceLines(evidence, 'es')
      .map((l) => `${l.label}: ${l.value}`)
      .join('\n');
    for (const expected of [
      'Nombre del otro derecho: Maderera Los Amigos',
      'Otro derecho: forestal maderable',
      'Estado del otro derecho: titulada',
      'Superposición (ha): 1,250.5',
      'Superposición simplificada en el mapa: sí',
      'Origen en la superposición: no',
      'Envíos contados: 3',
      'Insumo: mercurio',
      'Cuota: 6,000',
      'Operación: exportación',
      'Pago: Medio de pago: efectivo',
      'Entregó: Minera Guacamayo SAC (RUC 20600000011)',
      'Registro: Estado: en proceso; Vigente desde: 5 ene. 2026',
      'Ruta más rápida plausible: vuelo conocido',
      'Hallazgo: escaneado después de terminar el lote',
      'Estado del lote: exportado',
      'Terminado por: exportación',
      'Tipo de puesto: fluvial',
    ]) {
      expect(text).toContain(expected);
    }
    for (const code of [
      'otherName',
      'overlapSimplified',
      'movementsCounted',
      'timber',
      'titled',
      'mercury',
      'cash',
      'in_process',
      'air_link',
      'scan_after_end',
      'lot.exported',
      'concessionId',
      '6.000',
      'true',
    ]) {
      expect(text).not.toContain(code);
    }
    expect(
      evidenceSentence(
        'CONCESSION_OVERLAPS_OTHER_RIGHTS',
        { ...evidence, otherCode: '14-00456', otherHolderName: 'Maderera SAC', originInOverlap: true },
        'es',
      ),
    ).toBe(
      'La concesión minera 07-000123 se superpone 1,250.5 ha (12.5 % de su área) con el derecho forestal maderable 14-00456 «Maderera Los Amigos», de Maderera SAC; el origen del oro está en la superposición.',
    );
  });
});

/** Each closed list of the vocabulary and the dictionary that words it. */
const dictionaries: [string, readonly string[], words.Words<string>][] = [
  ['ruleCodes', vocabulary.ruleCodes, words.ruleWords],
  ['riskLevels', vocabulary.riskLevels, words.severityWords],
  ['flagStatuses', vocabulary.flagStatuses, words.flagStatusWords],
  ['lotStatuses', vocabulary.lotStatuses, words.lotStatusWords],
  ['lotForms', vocabulary.lotForms, words.formWords],
  ['lotOperations', vocabulary.lotOperations, words.lotOperationWords],
  ['controlledInputs', vocabulary.controlledInputs, words.inputWords],
  ['inputUnits', vocabulary.inputUnits, words.unitWords],
  ['movementStatuses', vocabulary.movementStatuses, words.movementStatusWords],
  ['inspectionOutcomes', vocabulary.inspectionOutcomes, words.inspectionOutcomeWords],
  ['verdicts', vocabulary.verdicts, words.verdictWords],
  ['checkEntries', vocabulary.checkEntries, words.checkEntryWords],
  ['subjectTypes', vocabulary.subjectTypes, words.subjectTypeWords],
  ['concessionKinds', vocabulary.concessionKinds, words.concessionKindWords],
  ['concessionStatuses', vocabulary.concessionStatuses, words.concessionStatusWords],
  ['zoneKinds', vocabulary.zoneKinds, words.zoneKindWords],
  ['registries', vocabulary.registries, words.registryWords],
  ['actorKinds', vocabulary.actorKinds, words.actorKindWords],
  ['roles', vocabulary.roles, words.roleWords],
  ['travelModes', vocabulary.travelModes, words.travelModeWords],
  ['transferOperations', vocabulary.transferOperations, words.transferOperationWords],
  ['paymentMethods', vocabulary.paymentMethods, words.paymentMethodWords],
  ['detectionKinds', vocabulary.detectionKinds, words.detectionKindWords],
  ['adminLevels', vocabulary.adminLevels, words.adminLevelWords],
  ['ledgerIncidentKinds', vocabulary.ledgerIncidentKinds, words.ledgerIncidentWords],
  [
    'registration statuses',
    newRegistrationSchema.options.flatMap((o) => o.shape.status.options),
    words.registrationStatusWords,
  ],
  ['review decisions', flagReviewSchema.shape.decision.options, words.reviewDecisionWords],
];

describe('enum words', () => {
  it('every value of every closed list has words in Spanish and English, and no dictionary words a value that does not exist', () => {
    for (const [name, values, dict] of dictionaries) {
      for (const lang of words.wordLanguages) {
        for (const v of values) {
          const word = dict[lang][v];
          expect(typeof word === 'string' && word.trim().length > 0, `${name} ${lang} ${v}`).toBe(true);
        }
        expect(Object.keys(dict[lang]).sort(), `${name} ${lang}`).toEqual([...new Set(values)].sort());
      }
    }
  });

  it('Spanish words are not the English codes (but for the symbols and proper names that are the same)', () => {
    const same = new Set(['kg', 'L', 'cheque']);
    for (const [name, values, dict] of dictionaries) {
      for (const v of values) {
        if (same.has(v)) continue;
        expect(dict.es[v], `${name} ${v}`).not.toBe(v);
        expect(dict.es[v], `${name} ${v}`).not.toMatch(/_/);
      }
    }
  });
});

describe('the sweep that finds English and raw codes on screens (raw-words.ts)', () => {
  it('finds codes, evidence keys and English, and lets Spanish, units, currencies and licences be', () => {
    for (const bad of [
      'in_transit',
      'active',
      'Estado: active',
      'ACTIVE',
      'dore',
      'OVER_QUOTA',
      'Regla OVER_QUOTA',
      'otherName',
      'Evento (eventID)',
      'Zoom in',
      'QR token is not genuine: signature does not verify',
      '(Permission denied)',
      'LBMA Gold Price PM monthly average; BCRP interbank S/ per US$',
      'Compra-venta de oro Laberinto (demo, unregistered)',
    ])
      expect(rawWordIn(bad), bad).not.toBeNull();
    for (const good of [
      'activo',
      'ACTIVO',
      'doré',
      'en tránsito',
      'Código auténtico: lote sin alertas',
      '1,250.5 g',
      'US$ 131.4',
      'CC BY 4.0',
      'IN (India)',
      'AU-2026-000001',
      'Referencia provisional: sí',
    ])
      expect(rawWordIn(good), good).toBeNull();
  });
});
