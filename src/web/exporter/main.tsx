import { render } from 'preact';
import '../shared/ui.css';
import { AppShell } from '../shared/shell.js';

function App() {
  return (
    <AppShell app="exporter" title={{ es: 'Mesa del exportador', en: 'Exporter desk' }} roles={['exporter']}>
      {({ session }) => <p>{session.sub}</p>}
    </AppShell>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
