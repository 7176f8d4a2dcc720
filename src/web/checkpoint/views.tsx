/** The pieces the checkpoint's screens are made of: verdicts, refusals, summaries, flags. */

import { useEffect, useRef } from 'preact/hooks';
import { isUnresolved } from '../../domain/screening/flag-status.js';
import type { HoldReason, VerdictFlag } from '../../domain/screening/verdict.js';
import type { InputUnit, MovementStatus, Verdict } from '../shared/api-types.js';
import { type Lang, useLang, useT } from '../shared/i18n.js';
import { formatGrams, formatNumber } from '../shared/numbers.js';
import { SeverityBadge } from '../shared/ui.js';
import {
  flagStatusWords,
  formWords,
  lotStatusWords,
  ruleWords,
  severityWords,
  wordFor,
} from '../shared/words.js';
import type { LotFacts, MovementFacts, Opened } from './facts.js';
import { words } from './i18n.js';
import type { WhyRefused } from './verify.js';

export type T = (key: keyof (typeof words)['es'], params?: Record<string, string | number>) => string;

const movementStatusKey = {
  declared: 'movementStatusDeclared',
  in_transit: 'movementStatusInTransit',
  delivered: 'movementStatusDelivered',
  seized: 'movementStatusSeized',
} as const;

export const outcomeKey = {
  passed: 'outcomePassed',
  discrepancy: 'outcomeDiscrepancy',
  seized: 'outcomeSeized',
} as const;
const inputKey: Record<string, 'inputMercury' | 'inputDiesel' | 'inputGasoline'> = {
  mercury: 'inputMercury',
  diesel: 'inputDiesel',
  gasoline: 'inputGasoline',
};

/** Units in words, where a label names them ("Cantidad observada, en kilogramos"). */
export const unitWords: Record<Lang, Record<InputUnit, string>> = {
  es: { kg: 'kilogramos (kg)', L: 'litros (L)' },
  en: { kg: 'kilograms (kg)', L: 'litres (L)' },
};

const movementStatusWord = (t: T, s: MovementStatus) => t(movementStatusKey[s]);
const inputWord = (t: T, input: string) => (inputKey[input] ? t(inputKey[input]) : input);

/** A quantity in its unit, read the es-PE way: "20 kg", "18,500 L" → "18 500 L" per locale. */
const amount = (value: string, unit: string, lang: Lang) => formatNumber(value, lang, { unit });

function reasonWords(t: T, lang: Lang, r: HoldReason): string {
  switch (r.kind) {
    case 'lot_status':
      return t('reasonLotStatus', { status: wordFor(lotStatusWords[lang], r.status) });
    case 'movement_status':
      return t('reasonMovementStatus', { status: movementStatusWord(t, r.status) });
    case 'outcome':
      return t('reasonOutcome', { outcome: t(outcomeKey[r.outcome]) });
    case 'flag':
      return t('reasonFlag', {
        rule: wordFor(ruleWords[lang], r.rule),
        severity: wordFor(severityWords[lang], r.severity),
        status: wordFor(flagStatusWords[lang], r.status),
      });
    case 'quantity':
      return t('reasonQuantity', {
        observed: amount(r.observed, r.unit, lang),
        declared: amount(r.declared, r.unit, lang),
        tolerance: amount(r.tolerance, r.unit, lang),
      });
  }
}

/** "hace 5 min" from an ISO time, in the device's clock. */
export function ageOf(t: T, lang: Lang, iso: string): string {
  const minutes = Math.floor((Date.now() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return t('justNow');
  if (minutes < 120) return t('minutes', { n: minutes });
  return new Date(iso).toLocaleString(lang === 'es' ? 'es-PE' : 'en-GB');
}

export interface VerdictView {
  verdict: Verdict;
  reasons: HoldReason[];
  /** The server's own words, shown when the device could not word a reason itself. */
  serverReasons?: string[];
  offline?: { queued: boolean; watchlistAt?: string; listed: boolean; notes: string[] };
  /** The code was typed from the label, not read from the QR: the label must be compared. */
  typed?: boolean;
}

/** A large verdict that cannot be mistaken: green PASA, red RETENER, with the reasons. */
export function VerdictCard(props: { view: VerdictView }) {
  const t = useT(words);
  const lang = useLang();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const { view } = props;
  // Reasons are worded on the device from the same facts as the server's; for a reason the
  // device could not derive, the server's own words to an English reader, a plain line to others.
  const lines =
    view.verdict === 'pass'
      ? []
      : view.reasons.length
        ? view.reasons.map((r) => reasonWords(t, lang, r))
        : lang === 'en' && view.serverReasons?.length
          ? view.serverReasons
          : [t('holdByRegistry')];
  const off = view.offline;
  return (
    <section
      ref={ref}
      tabIndex={-1}
      class={`verdict ${view.verdict}`}
      aria-live="assertive"
      data-verdict={view.verdict}
      data-mode={off ? 'offline' : 'online'}
      data-how={view.typed ? 'typed' : 'scanned'}
    >
      <strong>{view.verdict === 'pass' ? t('pass') : t('hold')}</strong>
      {off && <p class="provisional">{t('provisional')}</p>}
      {view.typed && <p class="typed-note">{t('typedVerdict')}</p>}
      {lines.length > 0 && (
        <ul>
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
      {off ? (
        <div class="verdict-notes">
          <p>{view.typed ? t('offlineTyped') : t('offlineSignature')}</p>
          <p>
            {off.watchlistAt
              ? `${t(off.listed ? 'watchlistListed' : 'watchlistNotListed')} ${t('watchlistAge', { age: ageOf(t, lang, off.watchlistAt) })}`
              : t('watchlistNone')}
          </p>
          {off.notes.map((n) => (
            <p key={n}>{n}</p>
          ))}
          {off.queued && <p>{t('offlineQueued')}</p>}
        </div>
      ) : (
        <p class="verdict-source">{t('serverVerdict')}</p>
      )}
    </section>
  );
}

/** Why a code was refused: a QR whose signature fails, or a typed code the registry does not know. */
export type Refusal =
  | { kind: 'signature'; why: WhyRefused }
  | { kind: 'notFound'; code: string }
  | { kind: 'unchecked'; code: string };

export function RefusedCard(props: { refusal: Exclude<Refusal, { kind: 'unchecked' }> }) {
  const t = useT(words);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const { refusal } = props;
  const detail =
    refusal.kind === 'notFound'
      ? t('refusedUnknownCode', { code: refusal.code })
      : t('refusedDetail', {
          why: {
            malformed: t('whyMalformed'),
            foreignKey: t('whyForeignKey'),
            signature: t('whySignature'),
            payload: t('whyPayload'),
            prefix: t('whyPrefix'),
          }[refusal.why],
        });
  return (
    <section
      ref={ref}
      tabIndex={-1}
      class="verdict refused"
      role="alert"
      data-verdict="refused"
      data-why={refusal.kind === 'notFound' ? 'notFound' : refusal.why}
    >
      <strong>{t('refused')}</strong>
      <p>{detail}</p>
      <p>{refusal.kind === 'notFound' ? t('refusedUnknownWhat') : t('refusedNothing')}</p>
    </section>
  );
}

/** A typed code the device cannot check with no signal: neither accepted nor refused. */
export function UncheckedCard(props: { code: string }) {
  const t = useT(words);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <section ref={ref} tabIndex={-1} class="verdict unchecked" role="alert" data-verdict="unchecked">
      <strong>{t('unchecked')}</strong>
      <p>{t('uncheckedDetail', { code: props.code })}</p>
      <p>{t('uncheckedWhat')}</p>
    </section>
  );
}

/** What the officer is looking at and how its code came: read from the QR, or typed. */
export function SubjectBanner(props: { opened: Opened }) {
  const t = useT(words);
  const { opened } = props;
  const code = opened.subject.code;
  if (opened.how === 'typed')
    return (
      <div class="genuine typed" data-testid="genuine" data-how="typed">
        <p id="subject-title">
          <strong>{opened.kind === 'lot' ? t('typedLot', { code }) : t('typedMovement', { code })}</strong>
        </p>
        <p>{opened.kind === 'lot' ? t('compareLot') : t('compareMovement')}</p>
      </div>
    );
  return (
    <p class="genuine" id="subject-title" data-testid="genuine" data-how="scanned">
      {opened.kind === 'lot' ? t('genuineLot', { code }) : t('genuineMovement', { code })}
    </p>
  );
}

/**
 * A lot or consignment under an unresolved high or critical flag: said first, in white on dark
 * red, before anything else on the screen, so that it cannot be scrolled past or read as
 * routine. The flags themselves are listed further down.
 */
export function SevereFlagsBanner(props: { kind: 'lot' | 'movement'; flags: VerdictFlag[] | undefined }) {
  const t = useT(words);
  const severe = (props.flags ?? []).filter(
    (f) => isUnresolved(f.status) && (f.severity === 'critical' || f.severity === 'high'),
  );
  if (severe.length === 0) return null;
  const critical = severe.some((f) => f.severity === 'critical');
  return (
    <div
      class="severe-flags"
      role="alert"
      data-testid="severe-flags"
      data-severity={critical ? 'critical' : 'high'}
    >
      <p class="severe-title">{critical ? t('severeCritical') : t('severeHigh')}</p>
      <p>
        {props.kind === 'lot'
          ? t('severeLot', { count: severe.length })
          : t('severeMovement', { count: severe.length })}
      </p>
    </div>
  );
}

export function FlagList(props: { flags: VerdictFlag[] }) {
  const t = useT(words);
  const lang = useLang();
  if (props.flags.length === 0) return <span>{t('noFlags')}</span>;
  return (
    <ul class="flag-list">
      {props.flags.map((f, i) => (
        <li key={`${f.rule}-${i}`}>
          <SeverityBadge level={f.severity} /> {wordFor(ruleWords[lang], f.rule)} (
          {t('flagStatus', { status: wordFor(flagStatusWords[lang], f.status) })})
        </li>
      ))}
    </ul>
  );
}

export function LotSummary(props: { lot: LotFacts }) {
  const t = useT(words);
  const lang = useLang();
  const { lot } = props;
  return (
    <dl class="summary">
      <dt>{t('lotCode')}</dt>
      <dd class="code">{lot.code}</dd>
      {lot.form && (
        <>
          <dt>{t('form')}</dt>
          <dd>{wordFor(formWords[lang], lot.form)}</dd>
        </>
      )}
      {lot.grossWeightG && (
        <>
          <dt>{t('declaredWeight')}</dt>
          <dd>{formatGrams(lot.grossWeightG, lang)}</dd>
        </>
      )}
      {lot.observedG && (
        <>
          <dt>{t('observedWeightShort')}</dt>
          <dd>{formatGrams(lot.observedG, lang)}</dd>
        </>
      )}
      {lot.status && (
        <>
          <dt>{t('status')}</dt>
          <dd>{wordFor(lotStatusWords[lang], lot.status)}</dd>
        </>
      )}
      {lot.flags && (
        <>
          <dt>{t('flags')}</dt>
          <dd>
            <FlagList flags={lot.flags} />
          </dd>
        </>
      )}
    </dl>
  );
}

export function MovementSummary(props: { movement: MovementFacts }) {
  const t = useT(words);
  const lang = useLang();
  const m = props.movement;
  return (
    <dl class="summary">
      <dt>{t('movementCode')}</dt>
      <dd class="code">{m.code}</dd>
      {m.input && (
        <>
          <dt>{t('input')}</dt>
          <dd>{inputWord(t, m.input)}</dd>
        </>
      )}
      {m.quantity && (
        <>
          <dt>{t('declaredQuantity')}</dt>
          <dd>{amount(m.quantity, m.unit ?? '', lang)}</dd>
        </>
      )}
      {m.status && (
        <>
          <dt>{t('status')}</dt>
          <dd>{movementStatusWord(t, m.status)}</dd>
        </>
      )}
      {m.route && (
        <>
          <dt>{t('route')}</dt>
          <dd>{m.route}</dd>
        </>
      )}
      {m.flags && (
        <>
          <dt>{t('flags')}</dt>
          <dd>
            <FlagList flags={m.flags} />
          </dd>
        </>
      )}
    </dl>
  );
}
