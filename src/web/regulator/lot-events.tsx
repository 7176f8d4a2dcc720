/**
 * A lot's provenance as its ledger events, oldest first: what happened, to which lot (a link to
 * it), when and by whom (by name and RUC), each with its inclusion proof in the signed ledger on
 * demand.
 */
import { useState } from 'preact/hooks';
import { useActorLabels } from '../shared/actors.js';
import { type Api, answer } from '../shared/api.js';
import type { Lot, Provenance } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { useDescribeProblem } from '../shared/problems.js';
import { href } from '../shared/route.js';
import { checkEntryWords, ledgerEventWords, wordFor } from '../shared/words.js';
import { actorRoleWords, formatDateTime, formatShortDateTime, useRegT } from './i18n.js';

export function EventList(props: { api: Api; p: Provenance; extra: Lot[] }) {
  const t = useRegT();
  const lang = useLang();
  const { p } = props;
  const codes = new Map<string, string>();
  for (const l of [p.lot, ...p.ancestors, ...p.descendants, ...props.extra]) codes.set(l.id, l.code);
  const [proofs, setProofs] = useState<Record<string, string>>({});
  const describe = useDescribeProblem();
  const names = useActorLabels(
    props.api,
    p.events.map((e) => e.actorId),
  );
  const proof = async (id: string) => {
    try {
      const r = await answer(props.api.GET('/v1/ledger/events/{id}/proof', { params: { path: { id } } }));
      setProofs((s) => ({
        ...s,
        [id]: t('proofOk', {
          index: r.leafIndex,
          size: r.treeSize,
          steps: r.proof.length,
          date: formatDateTime(r.head.timestamp, lang),
        }),
      }));
    } catch (err) {
      setProofs((s) => ({ ...s, [id]: describe(err) }));
    }
  };
  return (
    <section class="events" aria-labelledby="events-title">
      <h3 id="events-title">{t('events')}</h3>
      {p.events.length === 0 ? (
        <p>{t('noEvents')}</p>
      ) : (
        <ol class="event-list">
          {p.events.map((e) => {
            const type = wordFor(ledgerEventWords[lang], e.type);
            const other = codes.get(e.subjectId);
            const lotCode =
              e.subjectId === p.lot.id ? (
                t('thisLot')
              ) : other ? (
                <a href={href(['lots', e.subjectId])}>{other}</a>
              ) : (
                e.subjectId.slice(0, 8)
              );
            const actor =
              e.actorId && names.has(e.actorId)
                ? names.get(e.actorId)
                : `${wordFor(actorRoleWords[lang], e.actorRole)}${e.actorId ? ` ${e.actorId.slice(0, 8)}` : ''}`;
            return (
              <li key={e.id}>
                <div class="event-what">
                  <strong>{type}</strong> <span class="lot-code">{lotCode}</span>
                  {e.type === 'lot.scanned' && e.payload.entry === 'typed' && (
                    <em> · {checkEntryWords[lang].typed}</em>
                  )}
                </div>
                <div class="event-who">
                  <time dateTime={e.occurredAt}>{formatShortDateTime(e.occurredAt, lang)}</time> · {actor}
                </div>
                {proofs[e.id] ? (
                  <p class="hint" role="status">
                    {proofs[e.id]}
                  </p>
                ) : (
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={t('proofOf', { type })}
                    onClick={() => void proof(e.id)}
                  >
                    {t('proof')}
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
