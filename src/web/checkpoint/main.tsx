import { render } from 'preact';
import '../shared/ui.css';
import { AppShell } from '../shared/shell.js';

function App() {
  return (
    <AppShell app="checkpoint" title={{ es: 'Puesto de control', en: 'Checkpoint' }} roles={['checkpoint']}>
      {({ session }) => <p>{session.sub}</p>}
    </AppShell>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
