/**
 * The regulator console (/app/regulator): a risk map of zones, concessions, checkpoints and lot
 * origins; the flag queue with review; a lot's provenance as a graph beside its events;
 * balances per concession and per actor; mining detected from space per district; the AML report as a file; the ledger's signed head and
 * verification. Sections are tabs (WAI-ARIA tabs: each tab a button, arrow keys move between
 * them, Enter opens one); everything works by keyboard.
 */
import type { JWK } from 'jose';
import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import '../shared/ui.css';
import './regulator.css';
import { type Api, allPages, answer } from '../shared/api.js';
import { useLoad } from '../shared/load.js';
import { href, navigate, useRoute } from '../shared/route.js';
import { AppShell } from '../shared/shell.js';
import {
  type LedgerAlarm,
  LedgerAlarmBanner,
  ledgerSource,
  localWitnessStore,
  witnessLedger,
} from '../shared/witness.js';
import { BalancesScreen } from './balances.js';
import { FlagQueue } from './flags.js';
import { useRegT } from './i18n.js';
import { LedgerScreen } from './ledger.js';
import { LotScreen } from './lot.js';
import { type Highlight, MapScreen } from './map.js';
import { MiningScreen } from './mining.js';
import { OverlapsScreen } from './overlaps.js';
import { useOverlapT } from './overlaps-i18n.js';
import { ReportsScreen } from './reports.js';

const tabs = ['map', 'flags', 'lot', 'overlaps', 'balances', 'mining', 'reports', 'ledger'] as const;
type Tab = (typeof tabs)[number];
const tabKey = {
  map: 'tabMap',
  flags: 'tabFlags',
  lot: 'tabLot',
  balances: 'tabBalances',
  mining: 'tabMining',
  reports: 'tabReports',
  ledger: 'tabLedger',
} as const;

/** The screen a route names: "#/lots/<id>", "#/flags?…", "#/balances"…; the old "#lot=<id>" too. */
function placeOf(path: string[]): { tab: Tab; lotId: string | null; caseId: string | null } {
  const [head = '', id] = path;
  const uuid = id && /^[0-9a-f-]{36}$/i.test(id) ? id.toLowerCase() : null;
  if (head === 'lots' || head === 'lot') return { tab: 'lot', lotId: uuid, caseId: null };
  if (head === 'overlaps') return { tab: 'overlaps', lotId: null, caseId: uuid };
  return {
    tab: (tabs as readonly string[]).includes(head) ? (head as Tab) : 'map',
    lotId: null,
    caseId: null,
  };
}

/** The route of a screen: the lot screen's is its lot's. */
const routeOfTab = (tab: Tab, lotId: string | null): string =>
  tab === 'lot' ? href(lotId ? ['lots', lotId] : ['lots']) : href([tab]);

/** The ledger's keys, as published: the console is online, it has no copy of its own to keep. */
async function publishedKeys(api: Api): Promise<JWK[]> {
  return (await answer(api.GET('/.well-known/jwks.json'))).keys;
}

// Kept in this browser's storage: the console witnesses the ledger as the checkpoint devices do.
const consoleWitness = localWitnessStore('orotrace.regulator.ledger');

/**
 * Checks, when the console loads and on every refresh, that the ledger still holds the head this
 * console verified last (shared/witness.tsx); an alarm stays until reset.
 */
function useLedgerWitness(api: Api, version: number): { alarm?: LedgerAlarm | undefined; reset(): void } {
  const [alarm, setAlarm] = useState<LedgerAlarm>();
  useEffect(() => {
    let live = true;
    witnessLedger(
      consoleWitness,
      ledgerSource(api, () => publishedKeys(api)),
    ).then(
      (a) => live && setAlarm(a),
      // No answer decides nothing; a standing alarm still shows.
      () => void consoleWitness.alarm().then((a) => live && setAlarm(a)),
    );
    return () => {
      live = false;
    };
  }, [api, version]);
  return { alarm, reset: () => void consoleWitness.clear().then(() => setAlarm(undefined)) };
}

function Console({ api }: { api: Api }) {
  const t = useRegT();
  const route = useRoute();
  const { tab, lotId, caseId } = placeOf(route.path);
  const overlapT = useOverlapT();
  const [version, setVersion] = useState(0);
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const [focusLot, setFocusLot] = useState(0);
  // The lot the lot tab returns to after another screen.
  const [lastLot, setLastLot] = useState<string | null>(null);
  const lots = useLoad(
    () =>
      allPages((cursor) => answer(api.GET('/v1/lots', { params: { query: { limit: 500, cursor } } })), 5000),
    [api, version],
  );
  const ledgerAlarm = useLedgerWitness(api, version);

  // Each screen is a history entry: Back returns to the previous one.
  const go = (next: Tab) => navigate(routeOfTab(next, next === 'lot' ? lastLot : null));
  const openLot = useCallback((id: string) => {
    navigate(href(['lots', id]));
    setFocusLot((n) => n + 1);
  }, []);
  useEffect(() => {
    if (lotId) setLastLot(lotId);
  }, [lotId]);
  useEffect(() => {
    if (focusLot) document.getElementById('lot-title')?.focus();
  }, [focusLot]);
  // On a phone the tabs are one row that scrolls sideways: the selected one is brought into it
  // (only sideways: the page itself does not move).
  useEffect(() => {
    const el = document.getElementById(`tab-${tab}`);
    const list = el?.parentElement;
    if (!el || !list) return;
    const [a, b] = [el.getBoundingClientRect(), list.getBoundingClientRect()];
    if (a.left < b.left || a.right > b.right) list.scrollLeft += a.left - b.left - 8;
  }, [tab]);

  const onTabKey = (e: KeyboardEvent, i: number) => {
    const to =
      e.key === 'ArrowRight'
        ? (i + 1) % tabs.length
        : e.key === 'ArrowLeft'
          ? (i - 1 + tabs.length) % tabs.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? tabs.length - 1
              : null;
    if (to === null) return;
    e.preventDefault();
    const next = tabs[to] as Tab;
    go(next);
    document.getElementById(`tab-${next}`)?.focus();
  };

  return (
    <>
      {ledgerAlarm.alarm && (
        <LedgerAlarmBanner alarm={ledgerAlarm.alarm} who={t('witnessWho')} onReset={ledgerAlarm.reset} />
      )}
      <nav class="tabs-nav" aria-label={t('sections')}>
        <div role="tablist" aria-label={t('sections')} class="tabs">
          {tabs.map((name, i) => (
            <button
              key={name}
              id={`tab-${name}`}
              type="button"
              role="tab"
              aria-selected={tab === name}
              aria-controls={`panel-${name}`}
              class={tab === name ? 'tab selected' : 'tab'}
              onClick={() => go(name)}
              onKeyDown={(e) => onTabKey(e, i)}
            >
              {name === 'overlaps' ? overlapT('tabOverlaps') : t(tabKey[name as Exclude<Tab, 'overlaps'>])}
            </button>
          ))}
        </div>
      </nav>
      {/* The map stays mounted (Leaflet and its layers are costly to rebuild); hidden when not shown. */}
      <div id="panel-map" role="tabpanel" aria-labelledby="tab-map" hidden={tab !== 'map'} class="panel">
        <MapScreen
          api={api}
          active={tab === 'map'}
          lots={lots.data}
          lotsError={lots.error}
          highlight={highlight}
          onClearHighlight={() => setHighlight(null)}
          onOpenLot={openLot}
        />
      </div>
      {tab !== 'map' && (
        <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class="panel">
          {tab === 'flags' && <FlagQueue api={api} onReviewed={() => setVersion((n) => n + 1)} />}
          {tab === 'lot' && (
            <LotScreen
              api={api}
              lotId={lotId}
              version={version}
              onOpenLot={openLot}
              onReviewed={() => setVersion((n) => n + 1)}
              onHighlight={(h) => {
                setHighlight(h);
                navigate(href(['map']));
              }}
            />
          )}
          {tab === 'overlaps' && (
            <OverlapsScreen api={api} caseId={caseId} onChanged={() => setVersion((n) => n + 1)} />
          )}
          {tab === 'balances' && <BalancesScreen api={api} />}
          {tab === 'mining' && <MiningScreen api={api} />}
          {tab === 'reports' && <ReportsScreen api={api} />}
          {tab === 'ledger' && <LedgerScreen api={api} />}
        </div>
      )}
    </>
  );
}

function App() {
  return (
    <AppShell
      app="regulator"
      title={{ es: 'Consola del regulador', en: 'Regulator console' }}
      roles={['regulator', 'admin']}
    >
      {({ api }) => <Console api={api} />}
    </AppShell>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
