/**
 * #/queue: the records on the device and what the last sync answered; a record the server
 * refused stays, with the reason worded from its problem's stable type, until the officer sends
 * it again or discards it.
 */
import { ApiProblem } from '../shared/api.js';
import { type Lang, useLang, useT } from '../shared/i18n.js';
import { describeProblem } from '../shared/problems.js';
import { Problem } from '../shared/ui.js';
import { words } from './i18n.js';
import type { QueuedRecord, RecordProblem, SyncReport } from './store.js';
import { ageOf } from './views.js';

const fieldWords: Record<Lang, Record<string, string>> = {
  es: {
    occurredAt: 'la hora del equipo (revise que el reloj del teléfono esté en hora)',
    observedGrossWeightG: 'el peso observado',
    observedQuantity: 'la cantidad observada',
    token: 'el código',
    checkpointId: 'el puesto de control',
  },
  en: {
    occurredAt: 'the device’s time (check that the phone’s clock is right)',
    observedGrossWeightG: 'the observed weight',
    observedQuantity: 'the observed quantity',
    token: 'the code',
    checkpointId: 'the checkpoint',
  },
};

/** A record's problem in the officer's words; the server's English text only for an old record. */
function recordProblem(lang: Lang, problem: RecordProblem | undefined, detail: string | undefined): string {
  if (!problem) return detail ?? '';
  const fields = (problem.errors ?? []).map((e) => ({
    ...e,
    field: e.field.replace(/^(body|records\.\d+)\./, ''),
  }));
  return describeProblem(
    new ApiProblem(problem.status, { ...problem, title: '', errors: fields }),
    lang,
    fieldWords[lang],
  );
}

export function QueuePanel(props: {
  records: QueuedRecord[];
  lastSync: SyncReport | undefined;
  syncing: boolean;
  online: boolean;
  problem: unknown;
  onSync(): void;
  onDiscard(clientId: string): void;
}) {
  const t = useT(words);
  const lang = useLang();
  const { records, lastSync } = props;
  return (
    <section class="card" aria-labelledby="queue-title" id="queue">
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
              {r.record.entry === 'typed' && <>{t('entryTyped')} · </>}
              {t('savedAt', { when: ageOf(t, lang, r.savedAt) })}
              {r.rejected ? (
                <div class="problem" role="alert">
                  {t('rejected')}: {recordProblem(lang, r.problem, r.rejected)}
                  <div class="actions">
                    <button
                      type="button"
                      class="danger"
                      aria-label={t('discardOne', { code: r.subject.code })}
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
      <Problem>{props.problem === undefined ? undefined : describeProblem(props.problem, lang)}</Problem>
      <div aria-live="polite" data-testid="last-sync">
        {lastSync ? (
          <>
            <p>
              {t('lastSync', { when: ageOf(t, lang, lastSync.at) })}: {t('syncCounts', lastSync.counts)}
            </p>
            <ul class="sync-results">
              {lastSync.results.map((r) => (
                <li key={r.clientId}>
                  {r.kind === 'inspection' ? t('kindInspection') : t('kindScan')} {r.code}: {t(r.status)}
                  {r.status === 'rejected' ? ` — ${recordProblem(lang, r.problem, r.detail)}` : ''}
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
