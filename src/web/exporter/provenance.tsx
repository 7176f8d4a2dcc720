/**
 * Where a lot's gold came from and where it went (GET /v1/lots/{id}/provenance): the lots before
 * and after it, each with the operation that links it, and the same history as a GS1 EPCIS 2.0
 * document to hand to a buyer or a refinery.
 */
import { useEffect, useState } from 'preact/hooks';
import { showGrams } from '../../domain/shared/grams.js';
import { describeError } from '../shared/api.js';
import type { Lot, Provenance } from '../shared/api-types.js';
import { useLang, useT } from '../shared/i18n.js';
import type { AppContext } from '../shared/shell.js';
import { Problem } from '../shared/ui.js';
import { lotStatusWords } from '../shared/words.js';
import { dict } from './i18n.js';
import { RiskBadge, ScrollArea } from './lots.js';

export function ProvenanceView(props: { ctx: AppContext; lot: Lot; me: string; open(id: string): void }) {
  const t = useT(dict);
  const lang = useLang();
  const [p, setP] = useState<Provenance | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    props.ctx.api
      .get<Provenance>(`/v1/lots/${props.lot.id}/provenance`)
      .then(setP)
      .catch((err: unknown) => setError(describeError(err)));
  }, [props.ctx.api, props.lot.id, props.lot.status]);

  const download = async () => {
    try {
      const res = await props.ctx.api.raw(`/v1/lots/${props.lot.id}/provenance?format=epcis`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `${props.lot.code}-epcis.jsonld`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(describeError(err));
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
          <table class="arith">
            <thead>
              <tr>
                <th scope="col">{t('relation')}</th>
                <th scope="col">{t('code')}</th>
                <th scope="col" class="num">
                  {t('fine')}
                </th>
                <th scope="col">{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {related.map((l) => (
                <tr key={l.id}>
                  <td>
                    {t(l.direction === 'ancestor' ? 'ancestor' : 'descendant', { n: l.depth })} ·{' '}
                    {operationOf(l)}
                  </td>
                  <td>
                    {l.custodianId === props.me || l.producerId === props.me ? (
                      <button type="button" class="link" onClick={() => props.open(l.id)}>
                        {l.code}
                      </button>
                    ) : (
                      <span class="mono">{l.code}</span>
                    )}
                  </td>
                  <td class="num">{showGrams(l.fineWeightG)} g</td>
                  <td>
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
