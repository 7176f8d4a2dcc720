/** The risk map's legend: risk colours, zone kinds, concessions, checkpoints, clusters and the reference layers. */
import { useLang, useT } from '../shared/i18n.js';
import type { L } from '../shared/map.js';
import { riskColours } from '../shared/map.js';
import { mapWords } from '../shared/map-words.js';
import {
  concessionKindWords,
  concessionStatusWords,
  severityWords,
  wordFor,
  zoneKindWords,
} from '../shared/words.js';
import type { T } from './i18n.js';
import { concessionStyle, riskOrder, zoneStyles } from './map-layers.js';

const swatch = (style: L.PathOptions) => ({
  background: style.fillColor,
  borderColor: style.color,
  borderStyle: !style.dashArray ? 'solid' : String(style.dashArray).startsWith('2 ') ? 'dotted' : 'dashed',
});

export function Legend({ t }: { t: T }) {
  const lang = useLang();
  const m = useT(mapWords);
  return (
    <section class="legend" aria-labelledby="legend-title">
      <h3 id="legend-title">{t('legend')}</h3>
      <h4>{t('riskLegend')}</h4>
      <ul>
        {riskOrder.map((r) => (
          <li key={r}>
            <span class="dot" style={{ background: riskColours[r] }} aria-hidden="true" />{' '}
            {severityWords[lang][r]}
          </li>
        ))}
        <li>
          <span class="cluster" aria-hidden="true">
            5
          </span>{' '}
          {m('clusterLegend')}
        </li>
      </ul>
      <h4>{t('layerZones')}</h4>
      <ul>
        {Object.entries(zoneStyles).map(([k, s]) => (
          <li key={k}>
            <span class="area" style={swatch(s)} aria-hidden="true" /> {wordFor(zoneKindWords[lang], k)}
          </li>
        ))}
      </ul>
      <h4>{t('layerConcessions')}</h4>
      <ul>
        {(['mining', 'timber'] as const).map((k) => (
          <li key={k}>
            <span class="area" style={swatch(concessionStyle(k, 'titled'))} aria-hidden="true" />{' '}
            {k === 'mining'
              ? concessionKindWords[lang].mining
              : lang === 'es'
                ? 'Otros derechos'
                : 'Other rights'}
          </li>
        ))}
        {(['in_process', 'expired'] as const).map((s) => (
          <li key={s}>
            <span class="area" style={swatch(concessionStyle('mining', s))} aria-hidden="true" />{' '}
            {concessionStatusWords[lang][s]}
          </li>
        ))}
      </ul>
      <h4>{t('layerCheckpoints')}</h4>
      <ul>
        <li>
          <span class="square" aria-hidden="true" /> {t('checkpoint')}
        </li>
      </ul>
      <h4>{m('reference')}</h4>
      <ul class="reference-legend">
        <li>
          <span class="outline" aria-hidden="true" /> {m('districts')}
        </li>
        <li>
          <span class="town" aria-hidden="true" /> {m('towns')}
        </li>
        <li>
          <span class="line" aria-hidden="true" /> {m('highway')}
        </li>
      </ul>
    </section>
  );
}
