/**
 * One lot (#/lots/<id>): its facts (producer and custodian by name and RUC), its flags with the
 * one review panel, and its provenance as a graph (provenance-graph.tsx) beside its ledger
 * events (lot-events.tsx). The origins can be ringed on the map; any lot is found by its code on
 * the server (lot-picker.tsx).
 */
import { useState } from 'preact/hooks';
import { useActorLabels } from '../shared/actors.js';
import { type Api, allPages, answer, type FeatureCollection, geoJson } from '../shared/api.js';
import type { Lot } from '../shared/api-types.js';
import { latLon } from '../shared/evidence.js';
import { Facts } from '../shared/facts.js';
import { useLang } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { formatGrams, formatNumber } from '../shared/numbers.js';
import { useDescribeProblem } from '../shared/problems.js';
import { Problem, SeverityBadge } from '../shared/ui.js';
import { formWords, lotStatusWords, wordFor } from '../shared/words.js';
import { FlagsWithReview } from './flags.js';
import { formatDate, useRegT } from './i18n.js';
import { EventList } from './lot-events.js';
import { LotPicker } from './lot-picker.js';
import type { Highlight } from './map.js';
import { ProvenanceGraph } from './provenance-graph.js';

export function LotScreen(props: {
  api: Api;
  lotId: string | null;
  version: number;
  onOpenLot(id: string): void;
  onHighlight(h: Highlight): void;
  onReviewed(): void;
}) {
  const t = useRegT();
  return (
    <section aria-labelledby="lot-title">
      <h2 id="lot-title" tabIndex={-1}>
        {t('lotTitle')}
      </h2>
      <LotPicker api={props.api} onOpenLot={props.onOpenLot} />
      {props.lotId ? (
        <LotDetail
          key={props.lotId}
          api={props.api}
          lotId={props.lotId}
          version={props.version}
          onHighlight={props.onHighlight}
          onReviewed={props.onReviewed}
        />
      ) : (
        <p>{t('noLotChosen')}</p>
      )}
    </section>
  );
}

function LotDetail(props: {
  api: Api;
  lotId: string;
  version: number;
  onHighlight(h: Highlight): void;
  onReviewed(): void;
}) {
  const t = useRegT();
  const lang = useLang();
  const { api, lotId } = props;
  const [mapProblem, setMapProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const describe = useDescribeProblem();
  const flags = useLoad(
    () =>
      allPages((cursor) =>
        answer(
          api.GET('/v1/flags', {
            params: { query: { subjectType: 'lot', subjectId: lotId, sort: 'severity', limit: 500, cursor } },
          }),
        ),
      ),
    [api, lotId, props.version],
  );
  const loaded = useLoad(async () => {
    const p = await answer(api.GET('/v1/lots/{id}/provenance', { params: { path: { id: lotId } } }));
    // A split's other parts and a merge's other inputs appear in the edges by id only.
    const known = new Set([p.lot.id, ...p.ancestors.map((l) => l.id), ...p.descendants.map((l) => l.id)]);
    const others = [...new Set(p.edges.flatMap((e) => [e.parentId, e.childId]))].filter(
      (id) => !known.has(id),
    );
    const extra = await Promise.all(
      others
        .slice(0, 40)
        .map((id) => answer(api.GET('/v1/lots/{id}', { params: { path: { id } } })).catch(() => undefined)),
    );
    return { p, extra: extra.filter((l): l is Lot => !!l), others };
  }, [api, lotId, props.version]);

  const lotData = loaded.data?.p.lot;
  const actors = useActorLabels(api, [lotData?.producerId, lotData?.custodianId]);
  if (loaded.error && !loaded.data) {
    return <Problem>{loaded.error}</Problem>;
  }
  if (!loaded.data) return <p role="status">{lang === 'es' ? 'Cargando…' : 'Loading…'}</p>;
  const { p, extra, others } = loaded.data;
  const lot = p.lot;

  const showOnMap = async () => {
    try {
      const text = await answer(
        api.GET('/v1/lots/{id}/provenance', {
          params: { path: { id: lotId }, query: { format: 'geojson' } },
          headers: geoJson,
          parseAs: 'text',
        }),
      );
      props.onHighlight({
        code: lot.code,
        collection: JSON.parse(text) as FeatureCollection<Record<string, unknown>>,
      });
    } catch (err) {
      setMapProblem(describe(err));
    }
  };

  return (
    <div class="lot-detail">
      <Problem>{loaded.error}</Problem>
      <div class="card">
        <h3>
          {lot.code} <SeverityBadge level={lot.riskLevel} />
        </h3>
        <Facts
          items={[
            [t('lotStatus'), lotStatusWords[lang][lot.status]],
            [t('form'), wordFor(formWords[lang], lot.form)],
            [t('gross'), formatGrams(lot.grossWeightG, lang)],
            [t('fineness'), formatNumber(lot.fineness, lang, { unit: '‰', maxFraction: 1 })],
            [t('fine'), formatGrams(lot.fineWeightG, lang)],
            [t('producer'), lot.producerId ? (actors.get(lot.producerId) ?? lot.producerId) : '—'],
            [t('custodian'), actors.get(lot.custodianId) ?? lot.custodianId],
            [t('origin'), lot.origin ? latLon(lot.origin) : t('noOrigin')],
            [t('extractedOn'), formatDate(lot.extractedOn, lang)],
          ]}
        />
        <div class="actions">
          <button type="button" class="secondary" onClick={() => void showOnMap()}>
            {t('showOnMap')}
          </button>
        </div>
        <Problem>{mapProblem}</Problem>
      </div>
      <section aria-labelledby="lot-flags-title">
        <h3 id="lot-flags-title">{t('flagsOfLot')}</h3>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <Problem>{flags.error}</Problem>
        {flags.data?.length === 0 && <p>{t('noneFlags')}</p>}
        {flags.data && flags.data.length > 0 && (
          <FlagsWithReview
            api={api}
            items={flags.data}
            grouped={false}
            onReviewed={(message) => {
              setNotice(message);
              props.onReviewed();
            }}
            onChanged={props.onReviewed}
          />
        )}
      </section>
      <div class="provenance-layout">
        <ProvenanceGraph p={p} extra={extra} others={others} t={t} />
        <EventList api={api} p={p} extra={extra} />
      </div>
    </div>
  );
}
