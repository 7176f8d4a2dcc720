/**
 * "Salir" with records still on the device: they would stay there unsent (the queue outlives the
 * session, but nobody signed in could send it), so the officer is told how many, and may send
 * them first, stay, or leave all the same.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../shared/api.js';
import { useT } from '../shared/i18n.js';
import { Problem } from '../shared/ui.js';
import { words } from './i18n.js';
import { queued } from './store.js';
import { syncQueue } from './sync.js';

export function SignOutDialog(props: {
  api: Api;
  checkpointId: string;
  /** The signed-in officer: their records are the ones that would stay unsent. */
  by: string;
  online: boolean;
  onLeave(): void;
  onStay(): void;
}) {
  const t = useT(words);
  const [count, setCount] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    void queued(props.by).then((all) => setCount(all.length));
    ref.current?.focus();
    // Escape keeps the officer signed in, as "Quedarme" does, wherever the focus is.
    const onEscape = (e: KeyboardEvent) => e.key === 'Escape' && props.onStay();
    document.addEventListener('keydown', onEscape);
    return () => document.removeEventListener('keydown', onEscape);
  }, []);
  const sendFirst = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const outcome = await syncQueue(props.api, props.checkpointId, props.by);
      if (outcome.status === 'offline') setProblem(t('syncOffline'));
      const left = (await queued(props.by)).length;
      setCount(left);
      if (left === 0) props.onLeave();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section
      ref={ref}
      tabIndex={-1}
      class="card leave"
      role="alertdialog"
      aria-labelledby="leave-title"
      aria-describedby="leave-detail"
      data-testid="leave"
    >
      <h2 id="leave-title">{t('leaveTitle')}</h2>
      <p id="leave-detail">{count === undefined ? '…' : t('leaveDetail', { count })}</p>
      <Problem>{problem}</Problem>
      <div class="actions">
        <button type="button" onClick={() => void sendFirst()} disabled={busy || !props.online}>
          {busy ? t('syncing') : t('leaveSyncFirst')}
        </button>
        <button type="button" class="secondary" onClick={props.onStay}>
          {t('leaveStay')}
        </button>
        <button type="button" class="danger" onClick={props.onLeave}>
          {t('leaveAnyway')}
        </button>
      </div>
      {!props.online && <p class="hint">{t('leaveOffline')}</p>}
    </section>
  );
}
