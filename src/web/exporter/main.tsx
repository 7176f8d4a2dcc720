/**
 * The exporter desk: the back office of a trader, processor, exporter or producer (an
 * exporter-role token bound to one actor). My lots with their flags, registering a lot with its
 * origin on a map, split / merge / transfer / refine / export with the mass arithmetic and the
 * server's screening shown before confirming, and a lot's label with its QR for printing. Every
 * screen has an address (routes.ts).
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import '../shared/ui.css';
import './exporter.css';
import { useT } from '../shared/i18n.js';
import { useRoute } from '../shared/route.js';
import { type AppContext, AppShell } from '../shared/shell.js';
import { Problem } from '../shared/ui.js';
import { LotDetail } from './detail.js';
import { dict } from './i18n.js';
import { MyLots } from './lots.js';
import { MergeScreen } from './ops/merge.js';
import { RegisterLot } from './register.js';
import { isLotOp, lotsHref, registerHref } from './routes.js';

function Desk({ ctx }: { ctx: AppContext }) {
  const t = useT(dict);
  const route = useRoute();
  // Bumped after every operation, so that lists fetched before it are fetched again.
  const [version, setVersion] = useState(0);
  const [section = 'lots', id, op] = route.path;
  const screen = `${section}/${id ?? ''}`;
  const first = useRef(true);
  // A new screen starts at its top (an operation opened within a lot scrolls itself into view).
  useEffect(() => {
    if (first.current) first.current = false;
    else window.scrollTo(0, 0);
  }, [screen]);
  const me = ctx.session.actorId;
  if (!me) {
    return <Problem>{t('noActor')}</Problem>;
  }
  const changed = () => setVersion((v) => v + 1);
  const onLots = section === 'lots' || section === 'merge';
  return (
    <>
      <nav class="tabs" aria-label={t('sections')}>
        <a
          class={`button${onLots ? '' : ' secondary'}`}
          href={lotsHref()}
          aria-current={section === 'lots' && !id ? 'page' : undefined}
        >
          {t('myLots')}
        </a>
        <a
          class={`button${section === 'register' ? '' : ' secondary'}`}
          href={registerHref()}
          aria-current={section === 'register' ? 'page' : undefined}
        >
          {t('registerLot')}
        </a>
      </nav>
      {section === 'lots' && !id && <MyLots ctx={ctx} me={me} version={version} route={route} />}
      {section === 'lots' && id && (
        <LotDetail ctx={ctx} me={me} id={id} op={isLotOp(op) ? op : null} changed={changed} />
      )}
      {section === 'register' && <RegisterLot ctx={ctx} me={me} changed={changed} />}
      {section === 'merge' && (
        <MergeScreen
          ctx={ctx}
          ids={(route.query.get('lots') ?? '').split(',').filter(Boolean)}
          changed={changed}
        />
      )}
      {!['lots', 'register', 'merge'].includes(section) && (
        <div class="problem" role="alert">
          <p>{t('noSuchScreen')}</p>
          <a href={lotsHref()}>{t('backToLots')}</a>
        </div>
      )}
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
