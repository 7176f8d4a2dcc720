/**
 * Handing a lot over to a registered counterpart, found in the actor directory by name or RUC
 * (shared/actors.tsx): only an actor the directory answers can be chosen, so no id is typed and
 * no unknown recipient reaches the server.
 */
import { useState } from 'preact/hooks';
import { ActorPicker, actorLabel, type DirectoryEntry } from '../../shared/actors.js';
import { answer } from '../../shared/api.js';
import { useT } from '../../shared/i18n.js';
import { useUnits } from '../amounts.js';
import { dict } from '../i18n.js';
import type { OpProps } from './result.js';
import { OpSteps } from './steps.js';

export function TransferPanel({ ctx, lot, done, cancel }: OpProps) {
  const t = useT(dict);
  const { g } = useUnits();
  const [to, setTo] = useState<DirectoryEntry | null>(null);
  const ready = to !== null && to.id !== lot.custodianId;
  return (
    <OpSteps
      title={t('transferTitle', { code: lot.code })}
      canReview={ready}
      confirmLabel={t('confirmTransfer')}
      anywayLabel={t('transferAnyway')}
      permanent={t('permanentTransfer')}
      cancel={cancel}
      write={
        ready
          ? (query) =>
              answer(
                ctx.api.POST('/v1/lots/{id}/transfers', {
                  params: { path: { id: lot.id }, query },
                  body: { toActorId: to.id },
                }),
              )
          : null
      }
      fieldNames={{ toActorId: t('recipient') }}
      edit={
        <ActorPicker
          api={ctx.api}
          id="t-to"
          label={t('recipient')}
          value={to}
          onChange={setTo}
          exclude={[lot.custodianId]}
        />
      }
      review={
        <p>{to && t('transferReview', { code: lot.code, fine: g(lot.fineWeightG), to: actorLabel(to) })}</p>
      }
      done={(res) => {
        done({ title: t('transferDone', { code: res.code }), lots: [res] });
      }}
    />
  );
}
