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
import { type Api, allPages } from '../shared/api.js';
import type { Lot } from '../shared/api-types.js';
import { useLoad } from '../shared/load.js';
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
import { ReportsScreen } from './reports.js';

const tabs = ['map', 'flags', 'lot', 'balances', 'mining', 'reports', 'ledger'] as const;
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

/** `#flags`, `#lot=<id>`: the section (and lot) in the address, so a link or a reload lands there. */
function fromHash(): { tab: Tab; lotId: string | null } {
  const h = location.hash.slice(1);
  const [name, value] = h.split('=');
  const tab = (tabs as readonly string[]).includes(name ?? '') ? (name as Tab) : 'map';
  return { tab, lotId: tab === 'lot' && value && /^[0-9a-f-]{36}$/i.test(value) ? value : null };
}

/** The ledger's keys, as published: the console is online, it has no copy of its own to keep. */
async function publishedKeys(): Promise<JWK[]> {
  const res = await fetch('/.well-known/jwks.json', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`JWKS: HTTP ${res.status}`);
  return ((await res.json()) as { keys: JWK[] }).keys;
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
    witnessLedger(consoleWitness, ledgerSource(api, publishedKeys)).then(
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
  const [{ tab, lotId }, setPlace] = useState(fromHash);
  const [version, setVersion] = useState(0);
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const [focusLot, setFocusLot] = useState(0);
  const lots = useLoad(() => allPages<Lot>(api, '/v1/lots', 5000), [api, version]);
  const ledgerAlarm = useLedgerWitness(api, version);

  const go = (next: Tab, id: string | null = lotId) => {
    setPlace({ tab: next, lotId: id });
    history.replaceState(
      null,
      '',
      `${location.pathname}${location.search}#${next}${next === 'lot' && id ? `=${id}` : ''}`,
    );
  };
  const openLot = useCallback((id: string) => {
    go('lot', id);
    setFocusLot((n) => n + 1);
  }, []);
  useEffect(() => {
    if (focusLot) document.getElementById('lot-title')?.focus();
  }, [focusLot]);
  // A link to another section or lot followed within the console (#flags, #lot=<id>).
  useEffect(() => {
    const follow = () => setPlace(fromHash());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);

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
              {t(tabKey[name])}
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
          {tab === 'flags' && (
            <FlagQueue api={api} onOpenLot={openLot} onReviewed={() => setVersion((n) => n + 1)} />
          )}
          {tab === 'lot' && (
            <LotScreen
              api={api}
              lotId={lotId}
              lots={lots.data}
              version={version}
              onOpenLot={openLot}
              onReviewed={() => setVersion((n) => n + 1)}
              onHighlight={(h) => {
                setHighlight(h);
                go('map');
              }}
            />
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
