/**
 * Where a lot's gold came from and where it went (GET /v1/lots/{id}/provenance): the lots before
 * and after it, each with the operation that links it, its form, weights and holder by name (as
 * the exporter may see them: a lot it handed on shows the one it went to), and the same history
 * as a GS1 EPCIS 2.0 document to hand to a buyer or a refinery.
 */
import { useState } from 'preact/hooks';
import { ActorName } from '../shared/actors.js';
import { answer } from '../shared/api.js';
import type { Lot, Provenance } from '../shared/api-types.js';
import { useLang, useT } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { useDescribeProblem } from '../shared/problems.js';
import type { AppContext } from '../shared/shell.js';
import { ScrollArea } from '../shared/table.js';
import { Problem } from '../shared/ui.js';
import { formWords, lotStatusWords, wordFor } from '../shared/words.js';
import { useUnits } from './amounts.js';
import { dict } from './i18n.js';
import { LotCode, RiskBadge } from './lot-table.js';

export function ProvenanceView(props: { ctx: AppContext; lot: Lot; me: string }) {
  const t = useT(dict);
  const lang = useLang();
  const { g } = useUnits();
  const describe = useDescribeProblem();
  const loaded = useLoad(
    () => answer(props.ctx.api.GET('/v1/lots/{id}/provenance', { params: { path: { id: props.lot.id } } })),
    [props.ctx.api, props.lot.id, props.lot.status],
  );
  const p = loaded.data;
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const error = loaded.error ?? (downloadError ? describe(downloadError) : undefined);

  const download = async () => {
    try {
      const blob = await answer(
        props.ctx.api.GET('/v1/lots/{id}/provenance', {
          params: { path: { id: props.lot.id }, query: { format: 'epcis' } },
          headers: { accept: 'application/ld+json' },
          parseAs: 'blob',
        }),
      );
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${props.lot.code}-epcis.jsonld`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setDownloadError(err);
    }
  };

  if (error) {
    return <Problem>{error}</Problem>;
  }
  if (!p) return <p aria-busy="true">{t('loading')}</p>;
  const operationOf = (l: Provenance['ancestors'][number]) => {
    const e = p.edges.find((x) => (l.direction === 'ancestor' ? x.parentId === l.id : x.childId === l.id));
    return e ? t(`op_${e.operation}`) : '';
  };
  const related = [...p.ancestors, ...p.descendants];
  return (
    <div>
      <h3>{t('provenance')}</h3>
      {related.length === 0 ? (
        <p class="hint">{t('noProvenance')}</p>
      ) : (
        <ScrollArea label={t('provenance')}>
          <table class="lots related">
            <caption class="visually-hidden">{t('provenance')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('relation')}</th>
                <th scope="col">{t('code')}</th>
                <th scope="col">{t('form')}</th>
                <th scope="col" class="num">
                  {t('gross')}
                </th>
                <th scope="col" class="num">
                  {t('fine')}
                </th>
                <th scope="col">{t('relatedHolder')}</th>
                <th scope="col">{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {related.map((l) => (
                <tr key={l.id} data-testid={`related-${l.code}`}>
                  <td data-label={t('relation')}>
                    {t(l.direction === 'ancestor' ? 'ancestor' : 'descendant', { n: l.depth })} ·{' '}
                    {operationOf(l)}
                  </td>
                  <td data-label={t('code')}>
                    <LotCode lot={l} readable={l.custodianId === props.me || l.producerId === props.me} />
                  </td>
                  <td data-label={t('form')}>{wordFor(formWords[lang], l.form)}</td>
                  <td data-label={t('gross')} class="num">
                    {g(l.grossWeightG)}
                  </td>
                  <td data-label={t('fine')} class="num">
                    {g(l.fineWeightG)}
                  </td>
                  <td data-label={t('relatedHolder')}>
                    {l.custodianId === props.me ? (
                      t('custodianMe')
                    ) : (
                      <ActorName api={props.ctx.api} id={l.custodianId} />
                    )}
                  </td>
                  <td data-label={t('status')}>
                    {lotStatusWords[lang][l.status]} <RiskBadge level={l.riskLevel} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => void download()}>
          {t('downloadEpcis')}
        </button>
      </div>
    </div>
  );
}
