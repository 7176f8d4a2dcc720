/**
 * The post at work: what the officer scanned or typed becomes the subject on screen (lookup.ts),
 * a record becomes a verdict (online) or a queued record with a provisional one (offline); the
 * screen shown is the one the address names (screens.tsx). The station also keeps the device's
 * facts fresh (keys, checkpoint, watchlist), syncs the queue, and witnesses the ledger.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { lotHoldReasons, movementHoldReasons } from '../../domain/screening/verdict.js';
import { type Api, ApiProblem, answer, NetworkError } from '../shared/api.js';
import { useLang, useT } from '../shared/i18n.js';
import { useDescribeProblem } from '../shared/problems.js';
import { isOnline } from '../shared/reachability.js';
import { href, navigate, useRoute } from '../shared/route.js';
import type { Session } from '../shared/session.js';
import { type LedgerAlarm, LedgerAlarmBanner } from '../shared/witness.js';
import { facts, type How, type LotFacts, type Opened } from './facts.js';
import { words } from './i18n.js';
import type { InspectionInput } from './inspection.js';
import { type Resolution, resolveScanned, resolveTyped, typedCode } from './lookup.js';
import { QueuePanel } from './queue.js';
import { type Decided, inspectWithin, queuedVerdict, scanWithin } from './record.js';
import { Screen } from './screens.js';
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
import { looksLikeQr, refreshLedgerKeys } from './verify.js';
import type { Refusal } from './views.js';
import { deviceWitness, witnessFromDevice } from './witness.js';

const dayMs = 24 * 60 * 60_000;
const syncEveryMs = 20_000;
const refreshEveryMs = 5 * 60_000;

/** Names of the records' fields in the officer's words, for problems that name them. */
const fieldWords = {
  es: {
    occurredAt: 'la hora del equipo',
    observedGrossWeightG: 'el peso observado',
    observedQuantity: 'la cantidad observada',
    token: 'el código',
    code: 'el código',
  },
  en: {
    occurredAt: 'the device’s time',
    observedGrossWeightG: 'the observed weight',
    observedQuantity: 'the observed quantity',
    token: 'the code',
    code: 'the code',
  },
};

const subjectPath = (o: { kind: 'lot' | 'movement'; subject: { code: string } }) => [
  o.kind === 'lot' ? 'lots' : 'movements',
  o.subject.code,
];

export function Station(props: { session: Session; api: Api; online: boolean; onPending(n: number): void }) {
  const t = useT(words);
  const lang = useLang();
  const describe = useDescribeProblem();
  const route = useRoute();
  const { api, online, onPending } = props;
  const checkpointId = props.session.checkpointId ?? '';
  const officer = props.session.sub;
  // Records another officer made on this phone: kept for them to send, never sent as this one's.
  const [othersWaiting, setOthersWaiting] = useState(0);
  const [checkpoint, setCheckpoint] = useState<CachedCheckpoint>();
  const [opened, setOpened] = useState<Opened>();
  const [decided, setDecided] = useState<Decided & { path: string[] }>();
  const [refusal, setRefusal] = useState<Refusal>();
  const [records, setRecords] = useState<QueuedRecord[]>([]);
  const [lastSync, setLastSync] = useState<SyncReport>();
  const [syncing, setSyncing] = useState(false);
  const [syncProblem, setSyncProblem] = useState<unknown>();
  const [watchlistAt, setWatchlistAt] = useState<string>();
  const [ledgerAlarm, setLedgerAlarm] = useState<LedgerAlarm>();

  const reloadQueue = useCallback(async () => {
    const all = await queued();
    const mine = all.filter((r) => r.by === undefined || r.by === officer);
    setRecords(mine);
    setOthersWaiting(all.length - mine.length);
    onPending(mine.length);
    setLastSync(await getFact('lastSync', checkpointId));
  }, [checkpointId, officer, onPending]);

  const refreshFacts = useCallback(async () => {
    if (!isOnline()) return;
    await refreshLedgerKeys();
    try {
      const path = { id: checkpointId };
      const cp = await answer(api.GET('/v1/checkpoints/{id}', { params: { path } }));
      const kept = { id: cp.id, code: cp.code, name: cp.name, routes: cp.routes };
      await putFact('checkpoint', checkpointId, kept);
      setCheckpoint(kept);
      const list = await answer(api.GET('/v1/checkpoints/{id}/watchlist', { params: { path } }));
      const fetchedAt = new Date().toISOString();
      await putFact('watchlist', checkpointId, { ...list, fetchedAt });
      setWatchlistAt(fetchedAt);
    } catch (err) {
      if (!(err instanceof NetworkError)) setSyncProblem(err);
    }
  }, [api, checkpointId]);

  // Every sync also checks that the ledger still holds the head this device verified last.
  const witness = useCallback(async () => {
    try {
      setLedgerAlarm(await witnessFromDevice(api));
    } catch (err) {
      // No answer decides nothing; the next sync asks again.
      if (!(err instanceof NetworkError)) setSyncProblem(err);
    }
  }, [api]);

  const sync = useCallback(async () => {
    setSyncing(true);
    try {
      const outcome = await syncQueue(api, checkpointId, officer);
      if (outcome.status === 'busy') return; // the sync under way will tell
      setSyncProblem(outcome.status === 'failed' ? outcome.error : undefined);
      await reloadQueue();
      // After a sync (or a check that found nothing to send) the server's lists are the freshest.
      if (outcome.status !== 'offline') {
        await refreshFacts();
        await witness();
      }
    } finally {
      setSyncing(false);
    }
  }, [api, checkpointId, officer, reloadQueue, refreshFacts, witness]);

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

  /** Shows what a resolution found; a problem to show where the code was entered, if any. */
  const show = (res: Resolution, opts: { replace?: boolean } = {}): string | undefined => {
    switch (res.status) {
      case 'found':
        setOpened(res.opened);
        navigate(href(subjectPath(res.opened)), opts);
        return undefined;
      case 'notFound':
        setRefusal({ kind: 'notFound', code: res.code });
        navigate(href(['refused']), opts);
        return undefined;
      case 'refused':
        setRefusal({ kind: 'signature', why: res.why });
        navigate(href(['refused']), opts);
        return undefined;
      case 'uncheckedOffline':
        setRefusal({ kind: 'unchecked', code: res.code });
        navigate(href(['unchecked']), opts);
        return undefined;
      case 'notACode':
        return t('notACode');
      case 'noKeys':
        return t('noKeys');
      case 'problem':
        return describe(res.error, fieldWords[lang]);
    }
  };

  /** A QR from the camera, or what the officer typed or pasted (a printed code, or the QR's link). */
  const enter = async (text: string, from: 'camera' | 'keyboard'): Promise<string | undefined> => {
    const clean = text.trim();
    if (from === 'keyboard' && typedCode(clean)) return show(await resolveTyped(api, clean, checkpointId));
    if (from === 'camera' || looksLikeQr(clean)) return show(await resolveScanned(api, clean, checkpointId));
    return t('notACode');
  };

  /** Online: the registry's verdict. No signal: a provisional one, and the record kept on the device. */
  const record = async <B extends Record<string, string>>(
    o: Opened,
    body: B,
    online: (
      payload: B & { entry: How; checkpointId: string; occurredAt: string; clientId: string },
    ) => Promise<Decided>,
    offline: () => Promise<ReturnType<typeof queuedVerdict>>,
  ): Promise<string | undefined> => {
    const clientId = crypto.randomUUID();
    const occurredAt = new Date().toISOString();
    // How the code came is recorded with the check: a typed code is never recorded as scanned.
    const payload = { ...body, entry: o.how, checkpointId, occurredAt, clientId };
    const path = [...subjectPath(o), 'verdict'];
    const typed = o.how === 'typed';
    if (isOnline()) {
      try {
        const d = await online(payload);
        setDecided({ ...d, view: { ...d.view, typed }, path });
        navigate(href(path));
        return undefined;
      } catch (err) {
        if (err instanceof ApiProblem) return describe(err, fieldWords[lang]);
        if (!(err instanceof NetworkError)) throw err;
      }
    }
    const q = await offline();
    await enqueue({
      clientId,
      record: {
        kind: o.kind === 'lot' ? 'scan' : 'inspection',
        ...(payload as Record<string, string>),
      } as QueuedRecord['record'],
      subject: { kind: o.subject.kind, id: o.subject.id, code: o.subject.code },
      by: officer,
      verdict: q.verdict,
      reasons: q.reasons,
      savedAt: occurredAt,
    });
    await reloadQueue();
    setDecided({ ...q.decided, view: { ...q.decided.view, typed }, path });
    navigate(href(path));
    return undefined;
  };

  const recordScan = (o: Extract<Opened, { kind: 'lot' }>, observedG: string | undefined) =>
    record(
      o,
      { token: o.token, ...(observedG ? { observedGrossWeightG: observedG } : {}) },
      async (payload) => {
        const res = await scanWithin(api, payload);
        const lot: LotFacts = {
          ...res.lot,
          flags: facts(res.lot.flags),
          ...(observedG ? { observedG } : {}),
        };
        const reasons = lotHoldReasons(
          { status: res.lot.status, grossWeightG: res.lot.grossWeightG, flags: facts(res.lot.flags) },
          observedG,
        );
        return { view: { verdict: res.verdict, reasons, serverReasons: res.reasons }, lot };
      },
      async () => {
        const wl = await getFact('watchlist', checkpointId);
        const listed = wl?.lots.find((l) => l.id === o.subject.id);
        const reasons = listed ? lotHoldReasons(listed, observedG) : [];
        const notes = observedG && !listed && !o.lot.grossWeightG ? [t('weightNotCompared')] : [];
        // A lot the device kept (not held) is weighed against the declared weight it kept.
        if (!listed && observedG && o.lot.grossWeightG && o.lot.status)
          reasons.push(
            ...lotHoldReasons(
              { status: o.lot.status, grossWeightG: o.lot.grossWeightG, flags: [] },
              observedG,
            ),
          );
        return queuedVerdict(
          reasons,
          { listed: Boolean(listed), notes, watchlistAt: wl?.fetchedAt },
          { lot: { ...o.lot, ...(listed ?? {}), ...(observedG ? { observedG } : {}) } },
        );
      },
    );

  const recordInspection = (o: Extract<Opened, { kind: 'movement' }>, input: InspectionInput) => {
    const before = o.movement;
    const declared =
      before.status && before.quantity && before.unit
        ? { status: before.status, quantity: before.quantity, unit: before.unit }
        : undefined;
    return record(
      o,
      {
        token: o.token,
        observedQuantity: input.observedQuantity,
        outcome: input.outcome,
        ...(input.notes ? { notes: input.notes } : {}),
      },
      async (payload) => {
        const res = await inspectWithin(api, payload);
        const reasons = declared ? movementHoldReasons(declared, facts(res.flags), input) : [];
        return {
          view: { verdict: res.verdict, reasons, serverReasons: res.reasons },
          movement: { ...before, flags: facts(res.flags) },
        };
      },
      async () => {
        const wl = await getFact('watchlist', checkpointId);
        const listed = wl?.movements.find((m) => m.id === o.subject.id);
        const reasons = listed
          ? movementHoldReasons(listed, listed.flags, input)
          : declared
            ? movementHoldReasons(declared, [], input)
            : input.outcome !== 'passed'
              ? [{ kind: 'outcome' as const, outcome: input.outcome }]
              : [];
        return queuedVerdict(
          reasons,
          {
            listed: Boolean(
              listed &&
                (listed.flags.length > 0 || listed.status === 'delivered' || listed.status === 'seized'),
            ),
            notes: listed || declared ? [] : [t('movementUnknownOffline')],
            watchlistAt: wl?.fetchedAt,
          },
          { movement: listed ? { ...before, ...listed } : before },
        );
      },
    );
  };

  const toScan = () => navigate(href(['scan']));
  const queue = (
    <QueuePanel
      records={records}
      lastSync={lastSync}
      syncing={syncing}
      online={online}
      problem={syncProblem}
      onSync={() => void sync()}
      onDiscard={async (clientId) => {
        await dequeue([clientId]);
        await reloadQueue();
      }}
    />
  );

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
      {othersWaiting > 0 && (
        <p class="warning" data-testid="others-waiting">
          {t('othersWaiting', { count: othersWaiting })}
        </p>
      )}
      {watchlistAt && Date.now() - Date.parse(watchlistAt) > dayMs && (
        <p class="warning">{t('staleWatchlist')}</p>
      )}
      <Screen
        route={route}
        opened={opened}
        decided={decided}
        refusal={refusal}
        enter={enter}
        reopen={async (code) => show(await resolveTyped(api, code, checkpointId), { replace: true })}
        recordScan={recordScan}
        recordInspection={recordInspection}
        onNext={toScan}
        queue={queue}
      />
    </>
  );
}
