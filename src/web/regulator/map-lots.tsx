/**
 * The lots of the risk map as a table: what the map shows, reachable by keyboard and screen
 * reader (the map's lot markers are not), each code a button opening the lot.
 */
import type { Lot } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { formatNumber } from '../shared/numbers.js';
import { SeverityBadge } from '../shared/ui.js';
import { lotStatusWords } from '../shared/words.js';
import { useRegT } from './i18n.js';

export function LotList(props: { lots: Lot[]; loading: boolean; onOpenLot(id: string): void }) {
  const t = useRegT();
  const lang = useLang();
  const shown = props.lots.slice(0, 500);
  return (
    <section aria-labelledby="lot-list-title">
      <h3 id="lot-list-title">{t('lotsOnMap', { n: props.lots.length })}</h3>
      {props.loading ? (
        <p role="status">…</p>
      ) : shown.length === 0 ? (
        <p>{t('noLots')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('code')}</th>
                <th scope="col">{t('risk')}</th>
                <th scope="col">{t('lotStatus')}</th>
                <th scope="col" class="num">
                  {t('fine')} (g)
                </th>
                <th scope="col">{t('origin')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((l) => (
                <tr key={l.id}>
                  <td>
                    <button
                      type="button"
                      class="secondary link-button"
                      aria-label={t('openLot', { code: l.code })}
                      onClick={() => props.onOpenLot(l.id)}
                    >
                      {l.code}
                    </button>
                  </td>
                  <td>
                    <SeverityBadge level={l.riskLevel} />
                  </td>
                  <td>{lotStatusWords[lang][l.status]}</td>
                  <td class="num">{formatNumber(l.fineWeightG, lang)}</td>
                  <td>
                    {l.origin
                      ? `${formatNumber(l.origin.coordinates[1] as number, lang, { maxFraction: 4 })}, ${formatNumber(l.origin.coordinates[0] as number, lang, { maxFraction: 4 })}`
                      : t('noOrigin')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
