/**
 * The checkpoint scanner: an officer at a control post, on a phone, often with no signal, scans a
 * lot's or a consignment's QR code, sees at once whether to let it pass or hold it, and records
 * the scan or the inspection. The code's signature is checked on the device first (a forged code
 * is refused even offline); online the central registry gives the verdict; offline the device
 * gives a provisional one from its watchlist and keeps the record until it can be synced.
 */
import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import '../shared/ui.css';
import './checkpoint.css';
import type { QrSubject } from '../../domain/lots/qr.js';
import { lotHoldReasons, movementHoldReasons, type VerdictFlag } from '../../domain/screening/verdict.js';
import { type Api, ApiProblem, NetworkError } from '../shared/api.js';
import type { InspectionResult, Movement, ScanResult, Watchlist } from '../shared/api-types.js';
import { useT } from '../shared/i18n.js';
import { isOnline, onReachability, probe } from '../shared/reachability.js';
import type { Session } from '../shared/session.js';
import { AppShell } from '../shared/shell.js';
import { Problem } from '../shared/ui.js';
import { type LedgerAlarm, LedgerAlarmBanner } from '../shared/witness.js';
import { type Scanner, startScanner } from './camera.js';
import { words } from './i18n.js';
import {
  type CachedCheckpoint,
  dequeue,
  enqueue,
  getFact,
  putFact,
  type QueuedRecord,
  queued,
  type SyncReport,
} from './store.js';
import { syncQueue } from './sync.js';
import { refreshLedgerKeys, verifyCode, type WhyRefused } from './verify.js';
import {
  type LotFacts,
  LotSummary,
  type MovementFacts,
  MovementSummary,
  QueuePanel,
  RefusedCard,
  VerdictCard,
  type VerdictView,
} from './views.js';
import { deviceWitness, witnessFromDevice } from './witness.js';

/** What the officer sees: one screen at a time, large. */
type Screen =
  | { name: 'scan' }
  | { name: 'refused'; why: WhyRefused }
  | { name: 'lot'; subject: QrSubject; token: string }
  | {
      name: 'movement';
      subject: QrSubject;
      token: string;
      movement: MovementFacts;
      listed?: Watchlist['movements'][number];
    }
  | { name: 'verdict'; view: VerdictView; lot?: LotFacts; movement?: MovementFacts };

/**
 * The provisional verdict of a record queued offline (hold when the device found a reason) and the
 * screen that says so, with what the device knew: the watchlist's age and whether it lists the subject.
 */
function queuedVerdict(
  reasons: QueuedRecord['reasons'],
  offline: { listed: boolean; notes: string[]; watchlistAt: string | undefined },
  shown: { lot: LotFacts } | { movement: MovementFacts },
) {
  const verdict = reasons.length ? ('hold' as const) : ('pass' as const);
  const { listed, notes, watchlistAt } = offline;
  const view: VerdictView = {
    verdict,
    reasons,
    offline: { queued: true, listed, notes, ...(watchlistAt ? { watchlistAt } : {}) },
  };
  return { verdict, reasons, screen: { name: 'verdict' as const, view, ...shown } };
}

/** The registry's answer to POST /v1/scans and POST /v1/inspections (the fields this app reads). */
type ScanAnswer = Pick<ScanResult, 'verdict' | 'reasons'> & {
  lot: Pick<ScanResult['lot'], 'code' | 'status' | 'form' | 'grossWeightG' | 'flags'>;
};
type InspectionAnswer = Pick<InspectionResult, 'verdict' | 'reasons' | 'flags'>;
type MovementAnswer = Pick<Movement, 'code' | 'status' | 'input' | 'quantity' | 'unit' | 'route' | 'flags'>;

const dayMs = 24 * 60 * 60_000;
const syncEveryMs = 20_000;
const refreshEveryMs = 5 * 60_000;
/** How long a verdict may take on a weak signal before the record is kept for later instead. */
const answerWithinMs = 12_000;

/** A decimal typed by a person (comma or point) as the API's three-decimal string; undefined if not one. */
function decimal3(text: string): string | undefined {
  const m = /^(\d{1,12})(?:[.,](\d{1,3}))?$/.exec(text.trim());
  if (!m) return undefined;
  return `${BigInt(m[1] ?? '0')}.${(m[2] ?? '').padEnd(3, '0')}`;
}

const facts = (f: VerdictFlag[]): VerdictFlag[] =>
  f.map(({ rule, severity, status }) => ({ rule, severity, status }));

/**
 * A record posted with a deadline: on a signal too weak to answer in time it is kept on the device
 * instead (NetworkError). Should the server have recorded it all the same, the sync is answered
 * `duplicate` for its client id: it still reaches the ledger once.
 */
async function postWithin<T>(api: Api, path: string, body: unknown): Promise<T> {
  const res = await api.raw(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(answerWithinMs),
  });
  try {
    return (await res.json()) as T;
  } catch (err) {
    throw new NetworkError(err instanceof Error ? err.message : String(err));
  }
}

/** How often a device that lost the server asks again whether it answers. */
const probeEveryMs = 5_000;

/**
 * Online as the station acts on it (shared/reachability.ts): the browser's network events and
 * whether the last request got an answer. While offline it probes the server, so the queue is
 * sent as soon as the signal returns even where the browser never said it was gone.
 */
function useOnline(): boolean {
  const [online, setOnline] = useState(() => isOnline());
  useEffect(() => {
    const update = () => setOnline(isOnline());
    const back = () => {
      update();
      void probe();
    };
    addEventListener('online', back);
    addEventListener('offline', update);
    const stop = onReachability(update);
    void probe();
    return () => {
      removeEventListener('online', back);
      removeEventListener('offline', update);
      stop();
    };
  }, []);
  useEffect(() => {
    if (online) return;
    // Where the browser itself knows there is no network, asking would only fail.
    const timer = setInterval(() => navigator.onLine && void probe(), probeEveryMs);
    return () => clearInterval(timer);
  }, [online]);
  return online;
}

function Station(props: { session: Session; api: Api; online: boolean; onPending(n: number): void }) {
  const t = useT(words);
  const { api, online, onPending } = props;
  const checkpointId = props.session.checkpointId ?? '';
  const [checkpoint, setCheckpoint] = useState<CachedCheckpoint>();
  const [screen, setScreen] = useState<Screen>({ name: 'scan' });
  const [records, setRecords] = useState<QueuedRecord[]>([]);
  const [lastSync, setLastSync] = useState<SyncReport>();
  const [syncing, setSyncing] = useState(false);
  const [syncMessage, setSyncMessage] = useState<string>();
  const [watchlistAt, setWatchlistAt] = useState<string>();
  const [scanProblem, setScanProblem] = useState<string>();
  const [ledgerAlarm, setLedgerAlarm] = useState<LedgerAlarm>();

  const reloadQueue = useCallback(async () => {
    const all = await queued();
    setRecords(all);
    onPending(all.length);
    setLastSync(await getFact('lastSync', checkpointId));
  }, [checkpointId, onPending]);

  const refreshFacts = useCallback(async () => {
    if (!isOnline()) return;
    await refreshLedgerKeys();
    try {
      const cp = await api.get<CachedCheckpoint>(`/v1/checkpoints/${checkpointId}`);
      const kept = { id: cp.id, code: cp.code, name: cp.name, routes: cp.routes };
      await putFact('checkpoint', checkpointId, kept);
      setCheckpoint(kept);
      const list = await api.get<Omit<Parameters<typeof putFact<'watchlist'>>[2], 'fetchedAt'>>(
        `/v1/checkpoints/${checkpointId}/watchlist`,
      );
      const fetchedAt = new Date().toISOString();
      await putFact('watchlist', checkpointId, { ...list, fetchedAt });
      setWatchlistAt(fetchedAt);
    } catch (err) {
      if (!(err instanceof NetworkError))
        setSyncMessage(err instanceof ApiProblem ? err.describe() : String(err));
    }
  }, [api, checkpointId]);

  // Every sync also checks that the ledger still holds the head this device verified last.
  const witness = useCallback(async () => {
    try {
      setLedgerAlarm(await witnessFromDevice(api));
    } catch (err) {
      // No answer decides nothing; the next sync asks again.
      if (!(err instanceof NetworkError))
        setSyncMessage(err instanceof ApiProblem ? err.describe() : String(err));
    }
  }, [api]);

  const sync = useCallback(async () => {
    setSyncing(true);
    try {
      const outcome = await syncQueue(api, checkpointId);
      if (outcome.status === 'busy') return; // the sync under way will tell
      if (outcome.status === 'failed') setSyncMessage(outcome.message);
      else setSyncMessage(undefined);
      await reloadQueue();
      // After a sync (or a check that found nothing to send) the server's lists are the freshest.
      if (outcome.status !== 'offline') {
        await refreshFacts();
        await witness();
      }
    } finally {
      setSyncing(false);
    }
  }, [api, checkpointId, reloadQueue, refreshFacts, witness]);

  // At start: what the device kept (the online effect below then syncs and refreshes it).
  useEffect(() => {
    void (async () => {
      setCheckpoint(await getFact('checkpoint', checkpointId));
      setWatchlistAt((await getFact('watchlist', checkpointId))?.fetchedAt);
      setLedgerAlarm(await deviceWitness.alarm());
      await reloadQueue();
    })();
  }, [checkpointId, reloadQueue]);

  // At start and whenever the signal returns: sync, then fresh keys and lists. While records
  // wait, try again every so often; while online, keep the lists fresh.
  useEffect(() => {
    if (online) void sync();
  }, [online, sync]);
  useEffect(() => {
    if (records.length === 0 || !online) return;
    const timer = setInterval(() => void sync(), syncEveryMs);
    return () => clearInterval(timer);
  }, [records.length, online, sync]);
  useEffect(() => {
    if (!online) return;
    const timer = setInterval(() => void refreshFacts(), refreshEveryMs);
    return () => clearInterval(timer);
  }, [online, refreshFacts]);

  const onCode = async (text: string) => {
    setScanProblem(undefined);
    const v = await verifyCode(text);
    if (!v.ok) {
      if (v.why === 'noKeys') {
        setScanProblem(t('noKeys'));
        return;
      }
      setScreen({ name: 'refused', why: v.why });
      return;
    }
    if (v.subject.kind === 'lot') {
      setScreen({ name: 'lot', subject: v.subject, token: v.token });
      return;
    }
    const listed = (await getFact('watchlist', checkpointId))?.movements.find((m) => m.id === v.subject.id);
    let movement: MovementFacts = listed ?? { code: v.subject.code };
    if (isOnline()) {
      try {
        const m = await api.get<MovementAnswer>(`/v1/movements/${v.subject.id}`);
        movement = { ...m, flags: facts(m.flags) };
      } catch (err) {
        if (!(err instanceof NetworkError))
          setScanProblem(err instanceof ApiProblem ? err.describe() : String(err));
      }
    }
    setScreen({
      name: 'movement',
      subject: v.subject,
      token: v.token,
      movement,
      ...(listed ? { listed } : {}),
    });
  };

  /** Online: the registry's verdict. No signal: a provisional one, and the record kept on the device. */
  const record = async (
    kind: 'scan' | 'inspection',
    subject: QrSubject,
    body: Record<string, string>,
    online: (payload: Record<string, string>) => Promise<Screen>,
    offline: () => Promise<
      Omit<QueuedRecord, 'clientId' | 'record' | 'subject' | 'savedAt'> & { screen: Screen }
    >,
  ): Promise<string | undefined> => {
    const clientId = crypto.randomUUID();
    const occurredAt = new Date().toISOString();
    const payload = { ...body, checkpointId, occurredAt, clientId };
    if (isOnline()) {
      try {
        setScreen(await online(payload));
        return undefined;
      } catch (err) {
        if (err instanceof ApiProblem) return err.describe();
        if (!(err instanceof NetworkError)) throw err;
      }
    }
    const decided = await offline();
    await enqueue({
      clientId,
      record: { kind, ...payload } as QueuedRecord['record'],
      subject: { kind: subject.kind, id: subject.id, code: subject.code },
      verdict: decided.verdict,
      reasons: decided.reasons,
      savedAt: occurredAt,
    });
    await reloadQueue();
    setScreen(decided.screen);
    return undefined;
  };

  return (
    <>
      {ledgerAlarm && (
        <LedgerAlarmBanner
          alarm={ledgerAlarm}
          who={t('witnessWho')}
          onReset={() => void deviceWitness.clear().then(() => setLedgerAlarm(undefined))}
        />
      )}
      <p class="post" data-testid="checkpoint-name">
        {checkpoint
          ? t('checkpoint', { code: checkpoint.code, name: checkpoint.name })
          : t('checkpointUnknown')}
      </p>
      {watchlistAt && Date.now() - Date.parse(watchlistAt) > dayMs && (
        <p class="warning">{t('staleWatchlist')}</p>
      )}
      <Problem>{scanProblem}</Problem>
      {screen.name === 'scan' && <ScanScreen onCode={onCode} />}
      {screen.name === 'refused' && (
        <>
          <RefusedCard why={screen.why} />
          <NextButton onNext={() => setScreen({ name: 'scan' })} />
        </>
      )}
      {screen.name === 'lot' && (
        <LotForm
          subject={screen.subject}
          onCancel={() => setScreen({ name: 'scan' })}
          onRecord={(observedG) =>
            record(
              'scan',
              screen.subject,
              { token: screen.token, ...(observedG ? { observedGrossWeightG: observedG } : {}) },
              async (payload) => {
                const res = await postWithin<ScanAnswer>(api, '/v1/scans', payload);
                const lot: LotFacts = {
                  ...res.lot,
                  flags: facts(res.lot.flags),
                  ...(observedG ? { observedG } : {}),
                };
                const reasons = lotHoldReasons(
                  { status: res.lot.status, grossWeightG: res.lot.grossWeightG, flags: facts(res.lot.flags) },
                  observedG,
                );
                return {
                  name: 'verdict',
                  view: { verdict: res.verdict, reasons, serverReasons: res.reasons },
                  lot,
                } as const;
              },
              async () => {
                const wl = await getFact('watchlist', checkpointId);
                const listed = wl?.lots.find((l) => l.id === screen.subject.id);
                const reasons = listed ? lotHoldReasons(listed, observedG) : [];
                const notes = observedG && !listed ? [t('weightNotCompared')] : [];
                return queuedVerdict(
                  reasons,
                  { listed: Boolean(listed), notes, watchlistAt: wl?.fetchedAt },
                  {
                    lot: {
                      ...(listed ?? { code: screen.subject.code }),
                      ...(observedG ? { observedG } : {}),
                    },
                  },
                );
              },
            )
          }
        />
      )}
      {screen.name === 'movement' && (
        <InspectionForm
          movement={screen.movement}
          onCancel={() => setScreen({ name: 'scan' })}
          onRecord={(input) => {
            const before = screen.movement;
            const declared =
              before.status && before.quantity && before.unit
                ? { status: before.status, quantity: before.quantity, unit: before.unit }
                : undefined;
            return record(
              'inspection',
              screen.subject,
              {
                token: screen.token,
                observedQuantity: input.observedQuantity,
                outcome: input.outcome,
                ...(input.notes ? { notes: input.notes } : {}),
              },
              async (payload) => {
                const res = await postWithin<InspectionAnswer>(api, '/v1/inspections', payload);
                const reasons = declared ? movementHoldReasons(declared, facts(res.flags), input) : [];
                return {
                  name: 'verdict',
                  view: { verdict: res.verdict, reasons, serverReasons: res.reasons },
                  movement: { ...before, flags: facts(res.flags) },
                } as const;
              },
              async () => {
                const wl = await getFact('watchlist', checkpointId);
                const listed = wl?.movements.find((m) => m.id === screen.subject.id);
                const reasons = listed
                  ? movementHoldReasons(listed, listed.flags, input)
                  : input.outcome !== 'passed'
                    ? [{ kind: 'outcome' as const, outcome: input.outcome }]
                    : [];
                return queuedVerdict(
                  reasons,
                  {
                    listed: Boolean(
                      listed &&
                        (listed.flags.length > 0 ||
                          listed.status === 'delivered' ||
                          listed.status === 'seized'),
                    ),
                    notes: listed ? [] : [t('movementUnknownOffline')],
                    watchlistAt: wl?.fetchedAt,
                  },
                  { movement: listed ?? before },
                );
              },
            );
          }}
        />
      )}
      {screen.name === 'verdict' && (
        <>
          <VerdictCard view={screen.view} />
          {screen.lot && <LotSummary lot={screen.lot} />}
          {screen.movement && <MovementSummary movement={screen.movement} />}
          <NextButton onNext={() => setScreen({ name: 'scan' })} />
        </>
      )}
      <QueuePanel
        records={records}
        lastSync={lastSync}
        syncing={syncing}
        online={online}
        message={syncMessage}
        onSync={() => void sync()}
        onDiscard={async (clientId) => {
          await dequeue([clientId]);
          await reloadQueue();
        }}
      />
    </>
  );
}

function NextButton(props: { onNext(): void }) {
  const t = useT(words);
  return (
    <div class="actions">
      <button type="button" class="big" onClick={props.onNext}>
        {t('next')}
      </button>
    </div>
  );
}

function ScanScreen(props: { onCode(text: string): void }) {
  const t = useT(words);
  const video = useRef<HTMLVideoElement>(null);
  const scanner = useRef<Scanner>();
  const [camera, setCamera] = useState<'off' | 'starting' | 'on'>('off');
  const [problem, setProblem] = useState<string>();
  const [manual, setManual] = useState('');
  useEffect(() => {
    // The camera is off whenever the app is not on screen (a call, another app): battery and privacy.
    const hidden = () => {
      if (document.hidden && scanner.current) {
        scanner.current.stop();
        setCamera('off');
      }
    };
    document.addEventListener('visibilitychange', hidden);
    return () => {
      document.removeEventListener('visibilitychange', hidden);
      scanner.current?.stop();
    };
  }, []);

  const start = async () => {
    setProblem(undefined);
    if (!video.current) return;
    setCamera('starting');
    try {
      scanner.current = await startScanner(video.current, (text) => {
        setCamera('off');
        props.onCode(text);
      });
      setCamera('on');
    } catch (err) {
      setCamera('off');
      const name = err instanceof DOMException ? err.name : '';
      setProblem(
        name === 'NotFoundError' || name === 'OverconstrainedError'
          ? t('cameraMissing')
          : t('cameraDenied', { why: err instanceof Error ? err.message || err.name : String(err) }),
      );
    }
  };
  const stop = () => {
    scanner.current?.stop();
    setCamera('off');
  };

  return (
    <section class="card" aria-labelledby="scan-title">
      <h2 id="scan-title">{t('scan')}</h2>
      <p class="hint">{t('scanHelp')}</p>
      <div class={`camera ${camera === 'off' ? 'camera-off' : ''}`}>
        <video ref={video} aria-label={t('cameraLabel')} muted playsInline />
      </div>
      {camera === 'starting' && <p aria-live="polite">{t('cameraStarting')}</p>}
      <div class="actions">
        {camera === 'off' ? (
          <button type="button" class="big" onClick={() => void start()}>
            {t('scan')}
          </button>
        ) : (
          <button type="button" class="big secondary" onClick={stop}>
            {t('stopCamera')}
          </button>
        )}
      </div>
      <Problem>{problem}</Problem>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (manual.trim()) {
            stop();
            props.onCode(manual);
          }
        }}
      >
        <h3>{t('manualEntry')}</h3>
        <label for="manual-code">{t('manualLabel')}</label>
        {/* One line, so that Enter verifies: a handheld scanner that types the code ends with Enter. */}
        <input
          id="manual-code"
          type="text"
          autoComplete="off"
          autoCapitalize="off"
          spellcheck={false}
          value={manual}
          onInput={(e) => setManual((e.currentTarget as HTMLInputElement).value)}
        />
        <p class="hint">{t('manualHelp')}</p>
        <div class="actions">
          <button type="submit" disabled={!manual.trim()}>
            {t('verify')}
          </button>
        </div>
      </form>
    </section>
  );
}

function LotForm(props: {
  subject: QrSubject;
  onCancel(): void;
  onRecord(observedG: string | undefined): Promise<string | undefined>;
}) {
  const t = useT(words);
  const [weight, setWeight] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card"
      onSubmit={async (e) => {
        e.preventDefault();
        const observed = weight.trim() ? decimal3(weight) : undefined;
        if (weight.trim() && !observed) {
          setProblem(t('weightInvalid'));
          return;
        }
        setBusy(true);
        setProblem(await props.onRecord(observed).finally(() => setBusy(false)));
      }}
    >
      <p class="genuine" data-testid="genuine">
        {t('genuineLot', { code: props.subject.code })}
      </p>
      <label for="observed-weight">{t('observedWeight')}</label>
      <input
        id="observed-weight"
        inputMode="decimal"
        autoComplete="off"
        value={weight}
        aria-describedby="observed-weight-help"
        onInput={(e) => setWeight((e.currentTarget as HTMLInputElement).value)}
      />
      <p class="hint" id="observed-weight-help">
        {t('observedWeightHelp')}
      </p>
      <Problem>{problem}</Problem>
      <div class="actions">
        <button type="submit" class="big" disabled={busy}>
          {busy ? t('recording') : t('recordScan')}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function InspectionForm(props: {
  movement: MovementFacts;
  onCancel(): void;
  onRecord(input: {
    observedQuantity: string;
    outcome: 'passed' | 'discrepancy' | 'seized';
    notes: string;
  }): Promise<string | undefined>;
}) {
  const t = useT(words);
  const [quantity, setQuantity] = useState('');
  const [outcome, setOutcome] = useState<'passed' | 'discrepancy' | 'seized'>('passed');
  const [notes, setNotes] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const unit = props.movement.unit ?? 'kg / L';
  return (
    <form
      class="card"
      onSubmit={async (e) => {
        e.preventDefault();
        const observed = decimal3(quantity);
        if (!observed) {
          setProblem(t('quantityRequired'));
          return;
        }
        setBusy(true);
        setProblem(
          await props
            .onRecord({ observedQuantity: observed, outcome, notes: notes.trim() })
            .finally(() => setBusy(false)),
        );
      }}
    >
      <p class="genuine" data-testid="genuine">
        {t('genuineMovement', { code: props.movement.code })}
      </p>
      <MovementSummary movement={props.movement} />
      <h2>{t('inspection')}</h2>
      <label for="observed-quantity">{t('observedQuantity', { unit })}</label>
      <input
        id="observed-quantity"
        inputMode="decimal"
        autoComplete="off"
        required
        value={quantity}
        onInput={(e) => setQuantity((e.currentTarget as HTMLInputElement).value)}
      />
      <fieldset>
        <legend>{t('outcome')}</legend>
        {(['passed', 'discrepancy', 'seized'] as const).map((o) => (
          <label key={o} class="choice">
            <input
              type="radio"
              name="outcome"
              value={o}
              checked={outcome === o}
              onChange={() => setOutcome(o)}
            />{' '}
            {t(
              o === 'passed' ? 'outcomePassed' : o === 'discrepancy' ? 'outcomeDiscrepancy' : 'outcomeSeized',
            )}
          </label>
        ))}
      </fieldset>
      <label for="notes">{t('notes')}</label>
      <textarea
        id="notes"
        rows={3}
        value={notes}
        onInput={(e) => setNotes((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <Problem>{problem}</Problem>
      <div class="actions">
        <button type="submit" class="big" disabled={busy}>
          {busy ? t('recording') : t('recordInspection')}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function StatusBar(props: { online: boolean; pending: number }) {
  const t = useT(words);
  return (
    <span class="status" data-testid="status">
      <span class={`badge ${props.online ? 'online' : 'offline'}`}>
        {props.online ? t('online') : t('offline')}
      </span>{' '}
      <span class="badge pending" data-testid="pending" data-count={props.pending}>
        {t('pending', { count: props.pending })}
      </span>
    </span>
  );
}

function App() {
  const online = useOnline();
  const [pending, setPending] = useState(0);
  return (
    <AppShell
      app="checkpoint"
      title={{ es: words.es.title, en: words.en.title }}
      roles={['checkpoint']}
      status={<StatusBar online={online} pending={pending} />}
    >
      {({ session, api }) => <Station session={session} api={api} online={online} onPending={setPending} />}
    </AppShell>
  );
}

// The service worker keeps the app and the ledger's keys on the phone, so the app opens with no signal.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => undefined);
}

const root = document.getElementById('root');
if (root) render(<App />, root);
