/**
 * Every client is a witness: an app keeps the last ledger head it verified and, whenever it
 * talks to the server, demands proof that the new head extends it (domain/ledger/head-tracking).
 * Whoever runs the database could wipe it, restore an old backup or rewrite history, and the
 * server would sign the result; a device that kept a head notices, and says so in a banner that
 * stays until someone with authority resets it — a later good answer must not hide it.
 */
import type { JWK } from 'jose';
import {
  type AlarmOutcome,
  checkHead,
  type HeadSource,
  isAlarm,
  type KeptHead,
} from '../../domain/ledger/head-tracking.js';
import { type Api, ApiProblem, answer } from './api.js';
import { type Dict, useT } from './i18n.js';

/** What an app keeps once the ledger's history changed under it. */
export interface LedgerAlarm {
  outcome: AlarmOutcome;
  kept?: { treeSize: number; rootHash: string } | undefined;
  seen: { treeSize: number; rootHash: string };
  detail: string;
  at: string;
}

/** Where an app keeps the head and the alarm (IndexedDB on the checkpoint device, localStorage in the console). */
export interface WitnessStore {
  kept(): Promise<KeptHead | undefined>;
  keep(head: KeptHead): Promise<void>;
  alarm(): Promise<LedgerAlarm | undefined>;
  raise(alarm: LedgerAlarm): Promise<void>;
  /** The admin's reset: forget both, and trust the next head afresh. */
  clear(): Promise<void>;
}

/** A store in localStorage under `prefix`. */
export function localWitnessStore(prefix: string): WitnessStore {
  const read = <T,>(k: string): T | undefined => {
    const text = localStorage.getItem(`${prefix}.${k}`);
    return text ? (JSON.parse(text) as T) : undefined;
  };
  const write = (k: string, v: unknown) => localStorage.setItem(`${prefix}.${k}`, JSON.stringify(v));
  return {
    kept: async () => read<KeptHead>('head'),
    keep: async (h) => write('head', h),
    alarm: async () => read<LedgerAlarm>('alarm'),
    raise: async (a) => write('alarm', a),
    clear: async () => {
      localStorage.removeItem(`${prefix}.head`);
      localStorage.removeItem(`${prefix}.alarm`);
    },
  };
}

/** The server as a head source; `keys(kid)` gives the JWKS the app holds (refreshed for an unknown kid). */
export function ledgerSource(api: Api, keys: (kid: string) => Promise<readonly JWK[]>): HeadSource {
  return {
    head: () => answer(api.GET('/v1/ledger/head')),
    keys,
    async consistency(from, to) {
      try {
        return await answer(api.GET('/v1/ledger/consistency', { params: { query: { from, to } } }));
      } catch (err) {
        // 404 (no head of that size) or 422 (a size the server cannot have): the head this app
        // verified is gone from the log. 401/403 are the app's own trouble, not the ledger's.
        if (err instanceof ApiProblem && (err.status === 404 || err.status === 422)) return 'missing';
        throw err;
      }
    },
  };
}

/**
 * One check: an alarm already raised stays as it is (nothing overwrites the head kept before it);
 * otherwise the new head is decided against the kept one, and kept or alarmed. Network trouble
 * throws and decides nothing.
 */
export async function witnessLedger(
  store: WitnessStore,
  source: HeadSource,
): Promise<LedgerAlarm | undefined> {
  const standing = await store.alarm();
  if (standing) return standing;
  const decision = await checkHead(await store.kept(), source);
  if (isAlarm(decision)) {
    const alarm: LedgerAlarm = {
      outcome: decision.outcome,
      kept: decision.kept && { treeSize: decision.kept.treeSize, rootHash: decision.kept.rootHash },
      seen: decision.seen,
      detail: decision.detail,
      at: new Date().toISOString(),
    };
    await store.raise(alarm);
    return alarm;
  }
  if (decision.outcome !== 'unchanged') await store.keep(decision.keep);
  return undefined;
}

const words: Dict<
  | 'title'
  | 'changed'
  | 'sizes'
  | 'seenOnly'
  | 'rollback'
  | 'fork'
  | 'inconsistent'
  | 'unsigned'
  | 'whatToDo'
  | 'reset'
  | 'resetConfirm'
> = {
  es: {
    title: 'ALERTA: el historial del registro cambió',
    changed: 'El historial del registro central cambió desde la última vez que {who} lo verificó.',
    sizes: '{who} había verificado {kept} asientos; el servidor ahora muestra {seen}.',
    seenOnly: 'El servidor muestra {seen} asientos.',
    rollback: 'Faltan asientos: el registro fue borrado o se restauró una copia antigua.',
    fork: 'Asientos ya verificados fueron reemplazados por otros: el historial fue reescrito.',
    inconsistent: 'El servidor no pudo probar que el registro conserva el historial anterior.',
    unsigned: 'El estado del registro no lleva una firma válida del registro.',
    whatToDo:
      'No confíe en los datos del registro central. Avise a su supervisor y a la autoridad reguladora. Esta alerta queda hasta que un administrador la revise.',
    reset: 'Restablecer (solo administrador)',
    resetConfirm:
      '¿Restablecer la alerta? El equipo olvidará el estado verificado y confiará en el próximo. Hágalo solo si la autoridad revisó el registro.',
  },
  en: {
    title: "ALARM: the ledger's history changed",
    changed: "The central ledger's history changed since {who} last checked it.",
    sizes: '{who} had verified {kept} entries; the server now shows {seen}.',
    seenOnly: 'The server shows {seen} entries.',
    rollback: 'Entries are missing: the ledger was wiped or an old backup was restored.',
    fork: 'Entries already verified were replaced by others: the history was rewritten.',
    inconsistent: 'The server could not prove that the ledger keeps its earlier history.',
    unsigned: "The ledger's state does not carry a valid signature of the ledger.",
    whatToDo:
      'Do not rely on the central ledger. Tell your supervisor and the regulator. This alarm stays until an administrator has looked into it.',
    reset: 'Reset (administrator only)',
    resetConfirm:
      'Reset the alarm? This will forget the verified state and trust the next one. Only do so once the authority has examined the ledger.',
  },
};

/** The banner, at the top of an app; `who` names the client in its own words ("this device"). */
export function LedgerAlarmBanner(props: { alarm: LedgerAlarm; who: string; onReset(): void }) {
  const t = useT(words);
  const { alarm, who } = props;
  const Who = who.charAt(0).toUpperCase() + who.slice(1);
  return (
    <section
      class="ledger-alarm"
      role="alert"
      data-testid="ledger-alarm"
      data-outcome={alarm.outcome}
      data-kept={alarm.kept?.treeSize}
      data-seen={alarm.seen.treeSize}
    >
      <h2>{t('title')}</h2>
      <p>{t('changed', { who })}</p>
      <p>
        {alarm.kept
          ? t('sizes', { who: Who, kept: alarm.kept.treeSize, seen: alarm.seen.treeSize })
          : t('seenOnly', { seen: alarm.seen.treeSize })}
      </p>
      <p>{t(alarm.outcome)}</p>
      <p>
        <strong>{t('whatToDo')}</strong>
      </p>
      <details>
        <summary>{alarm.at}</summary>
        <p>{alarm.detail}</p>
        <button
          type="button"
          onClick={() => {
            if (confirm(t('resetConfirm'))) props.onReset();
          }}
        >
          {t('reset')}
        </button>
      </details>
    </section>
  );
}
