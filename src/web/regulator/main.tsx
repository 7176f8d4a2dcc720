import { render } from 'preact';
import '../shared/ui.css';
import { AppShell } from '../shared/shell.js';

function App() {
  return (
    <AppShell
      app="regulator"
      title={{ es: 'Consola del regulador', en: 'Regulator console' }}
      roles={['regulator', 'admin']}
    >
      {({ session }) => <p>{session.sub}</p>}
    </AppShell>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
