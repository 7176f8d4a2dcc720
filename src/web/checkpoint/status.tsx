/** The top bar's state of the device: online or not, and how many records wait to be sent (a link to them). */
import { useT } from '../shared/i18n.js';
import { href } from '../shared/route.js';
import { words } from './i18n.js';

export function StatusBar(props: { online: boolean; pending: number }) {
  const t = useT(words);
  return (
    <span class="status" data-testid="status">
      <span class={`badge ${props.online ? 'online' : 'offline'}`}>
        {props.online ? t('online') : t('offline')}
      </span>{' '}
      <a class="badge pending" href={href(['queue'])} data-testid="pending" data-count={props.pending}>
        {t('pending', { count: props.pending })}
      </a>
    </span>
  );
}
