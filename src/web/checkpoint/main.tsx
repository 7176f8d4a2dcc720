/**
 * The checkpoint scanner: an officer at a control post, on a phone, often with no signal, scans a
 * lot's or a consignment's QR code (or types the code printed on its label), sees at once whether
 * to let it pass or hold it, and records the scan or the inspection. A QR's signature is checked
 * on the device first (a forged code is refused even offline); a typed code is looked up in the
 * registry, or offline among what the device kept; online the central registry gives the verdict,
 * offline the device gives a provisional one from its watchlist and keeps the record until synced.
 *
 * Every screen has an address (shared/route.ts): #/scan, #/code (typed entry), #/lots/<code> and
 * #/movements/<code> (the subject, then /verdict), #/refused, #/unchecked, #/queue.
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import '../shared/ui.css';
import './checkpoint.css';
import { href, navigate } from '../shared/route.js';
import { AppShell } from '../shared/shell.js';
import { words } from './i18n.js';
import { useOnline } from './online.js';
import { SignOutDialog } from './signout.js';
import { Station } from './station.js';
import { StatusBar } from './status.js';

function App() {
  const online = useOnline();
  const [pending, setPending] = useState(0);
  // Set while the officer is asked whether to leave with records still on the device.
  const [leaving, setLeaving] = useState<{ signOut(): void }>();
  return (
    <AppShell
      app="checkpoint"
      title={{ es: words.es.title, en: words.en.title }}
      roles={['checkpoint']}
      status={<StatusBar online={online} pending={pending} />}
      confirmSignOut={(signOut) => {
        // Whoever signs in next starts at the scanner, not on the last lot this officer opened.
        const leave = () => {
          navigate(href(['scan']), { replace: true });
          signOut();
        };
        return pending > 0 ? setLeaving({ signOut: leave }) : leave();
      }}
    >
      {({ session, api }) => (
        <>
          {leaving && (
            <SignOutDialog
              api={api}
              checkpointId={session.checkpointId ?? ''}
              by={session.sub}
              online={online}
              onLeave={() => {
                setLeaving(undefined);
                leaving.signOut();
              }}
              onStay={() => setLeaving(undefined)}
            />
          )}
          <Station session={session} api={api} online={online} onPending={setPending} />
        </>
      )}
    </AppShell>
  );
}

// The service worker keeps the app and the ledger's keys on the phone, so the app opens with no signal.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => undefined);
}

const root = document.getElementById('root');
if (root) render(<App />, root);
