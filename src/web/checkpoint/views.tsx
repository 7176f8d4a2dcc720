/** The pieces the checkpoint's screens are made of: verdicts, summaries, the queue. */
import { useEffect, useRef } from 'preact/hooks';
import type { HoldReason, VerdictFlag } from '../../domain/screening/verdict.js';
import type { InputUnit, MovementStatus, Verdict } from '../shared/api-types.js';
import { type Lang, useLang, useT } from '../shared/i18n.js';
import { Problem, SeverityBadge } from '../shared/ui.js';
import {
  flagStatusWords,
  formWords,
  lotStatusWords,
  ruleWords,
  severityWords,
  wordFor,
} from '../shared/words.js';
import { words } from './i18n.js';
import type { QueuedRecord, SyncReport } from './store.js';
import type { WhyRefused } from './verify.js';

export type T = (key: keyof (typeof words)['es'], params?: Record<string, string | number>) => string;

const movementStatusKey = {
  declared: 'movementStatusDeclared',
  in_transit: 'movementStatusInTransit',
  delivered: 'movementStatusDelivered',
  seized: 'movementStatusSeized',
} as const;

const outcomeKey = {
  passed: 'outcomePassed',
  discrepancy: 'outcomeDiscrepancy',
  seized: 'outcomeSeized',
} as const;
const inputKey: Record<string, 'inputMercury' | 'inputDiesel' | 'inputGasoline'> = {
  mercury: 'inputMercury',
  diesel: 'inputDiesel',
  gasoline: 'inputGasoline',
};

const movementStatusWord = (t: T, s: MovementStatus) => t(movementStatusKey[s]);
const inputWord = (t: T, input: string) => (inputKey[input] ? t(inputKey[input]) : input);

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
        observed: r.observed,
        declared: r.declared,
        tolerance: r.tolerance,
        unit: r.unit,
      });
  }
}

/** "hace 5 min" from an ISO time, in the device's clock. */
function ageOf(t: T, iso: string): string {
  const minutes = Math.floor((Date.now() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return t('justNow');
  if (minutes < 120) return t('minutes', { n: minutes });
  return new Date(iso).toLocaleString();
}

export interface VerdictView {
  verdict: Verdict;
  reasons: HoldReason[];
  /** The server's own words, shown when the device could not word a reason itself. */
  serverReasons?: string[];
  offline?: { queued: boolean; watchlistAt?: string; listed: boolean; notes: string[] };
}

/** A large verdict that cannot be mistaken: green PASA, red RETENER, with the reasons. */
export function VerdictCard(props: { view: VerdictView }) {
  const t = useT(words);
  const lang = useLang();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const { view } = props;
  // Reasons are worded on the device from the same facts as the server's; the server's own
  // (English) words stand in only for a reason the device could not derive.
  const lines =
    view.verdict === 'pass'
      ? []
      : view.reasons.length
        ? view.reasons.map((r) => reasonWords(t, lang, r))
        : (view.serverReasons ?? []);
  const off = view.offline;
  return (
    <section
      ref={ref}
      tabIndex={-1}
      class={`verdict ${view.verdict}`}
      aria-live="assertive"
      data-verdict={view.verdict}
      data-mode={off ? 'offline' : 'online'}
    >
      <strong>{view.verdict === 'pass' ? t('pass') : t('hold')}</strong>
      {off && <p class="provisional">{t('provisional')}</p>}
      {lines.length > 0 && (
        <ul>
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
      {off ? (
        <div class="verdict-notes">
          <p>{t('offlineSignature')}</p>
          <p>
            {off.watchlistAt
              ? `${t(off.listed ? 'watchlistListed' : 'watchlistNotListed')} ${t('watchlistAge', { age: ageOf(t, off.watchlistAt) })}`
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

export function RefusedCard(props: { why: WhyRefused }) {
  const t = useT(words);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const why = {
    malformed: t('whyMalformed'),
    foreignKey: t('whyForeignKey'),
    signature: t('whySignature'),
    payload: t('whyPayload'),
  }[props.why];
  return (
    <section ref={ref} tabIndex={-1} class="verdict refused" role="alert" data-verdict="refused">
      <strong>{t('refused')}</strong>
      <p>{t('refusedDetail', { why })}</p>
      <p>{t('refusedNothing')}</p>
    </section>
  );
}

function FlagList(props: { flags: VerdictFlag[] }) {
  const t = useT(words);
  const lang = useLang();
  if (props.flags.length === 0) return <span>{t('noFlags')}</span>;
  return (
    <ul class="flag-list">
      {props.flags.map((f, i) => (
        <li key={`${f.rule}-${i}`} title={f.rule}>
          <SeverityBadge level={f.severity} /> {wordFor(ruleWords[lang], f.rule)} (
          {wordFor(flagStatusWords[lang], f.status)})
        </li>
      ))}
    </ul>
  );
}

export interface LotFacts {
  code: string;
  form?: string;
  grossWeightG?: string;
  status?: keyof (typeof lotStatusWords)['es'];
  flags?: VerdictFlag[];
  /** What the officer weighed, three decimals. */
  observedG?: string;
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
          <dd>{lot.grossWeightG} g</dd>
        </>
      )}
      {lot.observedG && (
        <>
          <dt>{t('observedWeightShort')}</dt>
          <dd>{lot.observedG} g</dd>
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

export interface MovementFacts {
  code: string;
  status?: MovementStatus;
  input?: string;
  quantity?: string;
  unit?: InputUnit;
  route?: string;
  flags?: VerdictFlag[];
}

export function MovementSummary(props: { movement: MovementFacts }) {
  const t = useT(words);
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
          <dd>
            {m.quantity} {m.unit}
          </dd>
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

/** The records on the device and what the last sync answered. */
export function QueuePanel(props: {
  records: QueuedRecord[];
  lastSync: SyncReport | undefined;
  syncing: boolean;
  online: boolean;
  message: string | undefined;
  onSync(): void;
  onDiscard(clientId: string): void;
}) {
  const t = useT(words);
  const { records, lastSync } = props;
  return (
    <section class="card" aria-labelledby="queue-title">
      <h2 id="queue-title">{t('queue')}</h2>
      <p data-testid="pending-line">{t('pending', { count: records.length })}</p>
      {records.length === 0 ? (
        <p>{t('queueEmpty')}</p>
      ) : (
        <ul class="queue">
          {records.map((r) => (
            <li key={r.clientId} data-client-id={r.clientId}>
              <span class={`badge ${r.verdict === 'pass' ? 'risk-none' : 'risk-high'}`}>
                {r.verdict === 'pass' ? t('pass') : t('hold')}
              </span>{' '}
              {r.record.kind === 'scan' ? t('kindScan') : t('kindInspection')} {r.subject.code} ·{' '}
              {t('savedAt', { when: ageOf(t, r.savedAt) })}
              {r.rejected ? (
                <div class="problem" role="alert">
                  {t('rejected')}: {r.rejected}
                  <div class="actions">
                    <button
                      type="button"
                      class="danger"
                      onClick={() => {
                        if (confirm(t('discardConfirm'))) props.onDiscard(r.clientId);
                      }}
                    >
                      {t('discard')}
                    </button>
                  </div>
                </div>
              ) : (
                <span class="hint"> · {t('waiting')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" onClick={props.onSync} disabled={props.syncing || !props.online}>
          {props.syncing ? t('syncing') : t('sync')}
        </button>
      </div>
      {!props.online && records.length > 0 && <p class="hint">{t('syncOffline')}</p>}
      <Problem>{props.message}</Problem>
      <div aria-live="polite" data-testid="last-sync">
        {lastSync ? (
          <>
            <p>
              {t('lastSync', { when: ageOf(t, lastSync.at) })}: {t('syncCounts', lastSync.counts)}
            </p>
            <ul class="sync-results">
              {lastSync.results.map((r) => (
                <li key={r.clientId}>
                  {r.kind === 'inspection' ? t('kindInspection') : t('kindScan')} {r.code}: {t(r.status)}
                  {r.detail ? ` — ${r.detail}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p class="hint">{t('lastSyncNever')}</p>
        )}
      </div>
    </section>
  );
}
