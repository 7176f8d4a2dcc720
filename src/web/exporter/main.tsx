/**
 * The exporter desk: the back office of a trader, processor, exporter or producer (an
 * exporter-role token bound to one actor). My lots with their flags, registering a lot with its
 * origin on a map, split / merge / transfer / refine / export with the mass arithmetic shown
 * before confirming, and a lot's label with its QR for printing.
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import '../shared/ui.css';
import './exporter.css';
import { useT } from '../shared/i18n.js';
import { type AppContext, AppShell } from '../shared/shell.js';
import { Problem } from '../shared/ui.js';
import { LotDetail } from './detail.js';
import { dict } from './i18n.js';
import { MyLots } from './lots.js';
import { MergePanel } from './ops.js';
import { RegisterLot } from './register.js';
import type { View } from './view.js';

function Desk({ ctx }: { ctx: AppContext }) {
  const t = useT(dict);
  const [view, setView] = useState<View>({ kind: 'lots' });
  // Bumped after every operation, so that lists fetched before it are fetched again.
  const [version, setVersion] = useState(0);
  const me = ctx.session.actorId;
  if (!me) {
    return <Problem>{t('noActor')}</Problem>;
  }
  const go = (v: View) => {
    setView(v);
    window.scrollTo(0, 0);
  };
  const changed = () => setVersion((v) => v + 1);
  return (
    <>
      <nav class="tabs" aria-label={t('sections')}>
        <button
          type="button"
          class={view.kind === 'lots' || view.kind === 'lot' || view.kind === 'merge' ? '' : 'secondary'}
          aria-current={view.kind === 'lots' ? 'page' : undefined}
          onClick={() => go({ kind: 'lots' })}
        >
          {t('myLots')}
        </button>
        <button
          type="button"
          class={view.kind === 'register' ? '' : 'secondary'}
          aria-current={view.kind === 'register' ? 'page' : undefined}
          onClick={() => go({ kind: 'register' })}
        >
          {t('registerLot')}
        </button>
      </nav>
      {view.kind === 'lots' && <MyLots ctx={ctx} me={me} version={version} go={go} />}
      {view.kind === 'register' && <RegisterLot ctx={ctx} me={me} go={go} changed={changed} />}
      {view.kind === 'lot' && <LotDetail ctx={ctx} me={me} id={view.id} go={go} changed={changed} />}
      {view.kind === 'merge' && <MergePanel ctx={ctx} lots={view.lots} go={go} changed={changed} />}
    </>
  );
}

function App() {
  return (
    <AppShell app="exporter" title={{ es: 'Mesa del exportador', en: 'Exporter desk' }} roles={['exporter']}>
      {(ctx) => <Desk ctx={ctx} />}
    </AppShell>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
