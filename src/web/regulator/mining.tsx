/**
 * Mining seen from space, per district: the hectares newly detected as mined in a period, how
 * much lies inside valid mining concessions, outside any (and its share), and inside each kind of
 * exclusion zone — GET /v1/detections/summary, in a table.
 */
import { useState } from 'preact/hooks';
import { type Api, answer } from '../shared/api.js';
import type { MiningSummary } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { useDescribeProblem } from '../shared/problems.js';
import { Problem } from '../shared/ui.js';
import { zoneKindWords } from '../shared/words.js';
import { useRegT } from './i18n.js';

const zoneColumns = ['protected_area', 'buffer_zone', 'mining_exclusion', 'indigenous_territory'] as const;

export function MiningScreen({ api }: { api: Api }) {
  const t = useRegT();
  const describe = useDescribeProblem();
  const lang = useLang();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [summary, setSummary] = useState<MiningSummary | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const locale = lang === 'es' ? 'es-PE' : 'en-GB';
  const ha = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const share = (n: number | null) =>
    n === null ? '—' : n.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 1 });

  const load = async () => {
    setBusy(true);
    try {
      const query = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
      setSummary(await answer(api.GET('/v1/detections/summary', { params: { query } })));
      setProblem(null);
    } catch (err) {
      setSummary(null);
      setProblem(describe(err));
    } finally {
      setBusy(false);
    }
  };

  type Row = MiningSummary['total'] & { label: string };
  const rows: Row[] = summary
    ? [
        ...summary.districts.map((d) => ({ ...d, label: `${d.district} (${d.province ?? d.department})` })),
        { ...summary.total, label: t('miningTotal') },
      ]
    : [];

  return (
    <section aria-labelledby="mining-title">
      <h2 id="mining-title">{t('miningTitle')}</h2>
      <p class="hint">{t('miningHelp')}</p>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <div class="filters">
          <div>
            <label for="mining-from">{t('from')}</label>
            <input
              id="mining-from"
              type="date"
              value={from}
              onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <div>
            <label for="mining-to">{t('to')}</label>
            <input
              id="mining-to"
              type="date"
              value={to}
              onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
        </div>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('miningShow')}
          </button>
        </div>
      </form>
      <Problem>{problem}</Problem>
      {summary && (
        <div class="table-wrap">
          <table class="balance">
            <caption>{t('miningCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('miningDistrict')}</th>
                <th scope="col" class="num">
                  {t('miningMinedHa')}
                </th>
                <th scope="col" class="num">
                  {t('miningInsideHa')}
                </th>
                <th scope="col" class="num">
                  {t('miningOutsideHa')}
                </th>
                <th scope="col" class="num">
                  {t('miningShareOutside')}
                </th>
                {zoneColumns.map((k) => (
                  <th scope="col" class="num" key={k}>
                    {zoneKindWords[lang][k]} (ha)
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.label} class={i === rows.length - 1 ? 'strong' : undefined}>
                  <th scope="row">{r.label}</th>
                  <td class="num">{ha(r.minedHa)}</td>
                  <td class="num">{ha(r.insideValidConcessionsHa)}</td>
                  <td class="num">{ha(r.outsideConcessionsHa)}</td>
                  <td class="num">{share(r.shareOutside)}</td>
                  {zoneColumns.map((k) => (
                    <td class="num" key={k}>
                      {ha(r.exclusionZonesHa[k] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p class="hint">{t('miningNotes')}</p>
        </div>
      )}
    </section>
  );
}
