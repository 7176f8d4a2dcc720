/**
 * Registering a lot at extraction: producer, concession, origin (clicked on the map, which draws
 * the concessions, or typed), extraction date, gross weight, fineness and form; the fine weight
 * is computed on the device as the server will, and shown before the person confirms.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { fineWeight, parseFineness, parseGrams, showGrams } from '../../domain/shared/grams.js';
import { lotForms } from '../../domain/shared/vocabulary.js';
import { allPages, describeError } from '../shared/api.js';
import type { Concession, ConcessionDetail, Lot, LotForm } from '../shared/api-types.js';
import { useLang, useT } from '../shared/i18n.js';
import { createMap, fitToData, L } from '../shared/map.js';
import type { AppContext } from '../shared/shell.js';
import { Problem } from '../shared/ui.js';
import { formWords, wordFor } from '../shared/words.js';
import { dict } from './i18n.js';
import { FlagWords, RiskBadge } from './lots.js';
import type { View } from './view.js';

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const today = () => new Date().toISOString().slice(0, 10);
const short = (id: string) => `${id.slice(0, 8)}…`;

function parseCoord(text: string, max: number): number | null {
  if (!/^-?\d{1,3}(\.\d+)?$/.test(text.trim())) return null;
  const n = Number(text);
  return Math.abs(n) <= max ? n : null;
}

/** The origin map: every concession drawn, the chosen one highlighted, the point as a circle. */
function OriginMap(props: {
  concessions: Concession[];
  selected: string;
  point: [number, number] | null;
  pick(lat: number, lon: number): void;
}) {
  const t = useT(dict);
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const areas = useRef<L.LayerGroup | null>(null);
  const marker = useRef<L.CircleMarker | null>(null);
  const pick = useRef(props.pick);
  pick.current = props.pick;

  useEffect(() => {
    if (!el.current) return;
    const m = createMap(el.current);
    areas.current = L.layerGroup().addTo(m);
    m.on('click', (e: L.LeafletMouseEvent) => pick.current(e.latlng.lat, e.latlng.lng));
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    const group = areas.current;
    if (!m || !group) return;
    group.clearLayers();
    let focus: L.LatLngBounds | null = null;
    for (const c of props.concessions) {
      const chosen = c.id === props.selected;
      const layer = L.geoJSON(c.geometry, {
        style: {
          color: chosen ? '#0b3d2e' : '#6b6b6b',
          weight: chosen ? 3 : 1,
          fillColor: chosen ? '#f2c230' : '#999',
          fillOpacity: chosen ? 0.35 : 0.1,
        },
      }).bindTooltip(`${c.code} · ${c.name}`);
      group.addLayer(layer);
      if (chosen) focus = layer.getBounds();
    }
    if (focus) m.fitBounds(focus, { padding: [24, 24] });
    else fitToData(m, group);
  }, [props.concessions, props.selected]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    marker.current?.remove();
    marker.current = props.point
      ? L.circleMarker(props.point, {
          radius: 9,
          color: '#111',
          weight: 3,
          fillColor: '#d00000',
          fillOpacity: 0.9,
        }).addTo(m)
      : null;
  }, [props.point]);

  return (
    <div>
      <div ref={el} class="map" role="application" aria-label={t('mapLabel')} />
      <p class="hint">{t('mapHelp')}</p>
    </div>
  );
}

export function RegisterLot(props: { ctx: AppContext; me: string; go(v: View): void; changed(): void }) {
  const { api } = props.ctx;
  const lang = useLang();
  const t = useT(dict);
  const [concessions, setConcessions] = useState<Concession[] | null>(null);
  const [detail, setDetail] = useState<ConcessionDetail | null>(null);
  const [concessionId, setConcessionId] = useState('');
  const [producer, setProducer] = useState('me');
  const [otherProducer, setOtherProducer] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [extractedOn, setExtractedOn] = useState('');
  const [gross, setGross] = useState('');
  const [fineness, setFineness] = useState('');
  const [form, setForm] = useState<LotForm>('dore');
  const [step, setStep] = useState<'edit' | 'review'>('edit');
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Lot | null>(null);

  useEffect(() => {
    allPages<Concession>(api, '/v1/concessions?kind=mining', 2000)
      .then(setConcessions)
      .catch((err: unknown) => setError(describeError(err)));
  }, [api]);
  useEffect(() => {
    setDetail(null);
    if (!concessionId) return;
    api
      .get<ConcessionDetail>(`/v1/concessions/${concessionId}`)
      .then((d) => {
        setDetail(d);
        // The holder works its own concession more often than anyone else.
        setProducer((p) => (p === 'me' && d.holderId && d.holderId !== props.me ? d.holderId : p));
      })
      .catch((err: unknown) => setError(describeError(err)));
  }, [api, concessionId, props.me]);

  const latN = parseCoord(lat, 90);
  const lonN = parseCoord(lon, 180);
  const point: [number, number] | null = latN !== null && lonN !== null ? [latN, lonN] : null;
  const grossD = parseGrams(gross);
  const finenessD = parseFineness(fineness);
  const fine = grossD && finenessD ? fineWeight(grossD, finenessD) : null;
  const producerId = producer === 'me' ? props.me : producer === 'other' ? otherProducer.trim() : producer;
  const concession = concessions?.find((c) => c.id === concessionId);
  const producerOptions: [string, string][] = [['me', t('producerMe')]];
  if (detail?.holderId && detail.holderId !== props.me) {
    producerOptions.push([detail.holderId, t('producerHolder', { id: short(detail.holderId) })]);
  }
  for (const o of detail?.operators ?? []) {
    if (o.actorId !== props.me && o.actorId !== detail?.holderId) {
      producerOptions.push([o.actorId, t('producerOperator', { id: short(o.actorId) })]);
    }
  }
  producerOptions.push(['other', t('producerOther')]);

  const review = () => {
    const p: string[] = [];
    if (!concessionId) p.push(t('needConcession'));
    if (!uuidRe.test(producerId)) p.push(t('needProducer'));
    if (!point) p.push(t('needOrigin'));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(extractedOn) || extractedOn > today()) p.push(t('needDate'));
    if (!grossD) p.push(t('needGross'));
    if (!finenessD) p.push(t('needFineness'));
    setProblems(p);
    if (p.length === 0) setStep('review');
  };
  const confirm = async () => {
    if (!point || !grossD || !finenessD) return;
    setBusy(true);
    setError(null);
    try {
      const lot = await api.post<Lot>('/v1/lots', {
        producerId,
        concessionId,
        origin: { type: 'Point', coordinates: [point[1], point[0]] },
        extractedOn,
        grossWeightG: grossD,
        fineness: finenessD,
        form,
      });
      setDone(lot);
      props.changed();
    } catch (err) {
      setError(describeError(err));
      setStep('edit');
    } finally {
      setBusy(false);
    }
  };
  const reset = () => {
    setDone(null);
    setStep('edit');
    setGross('');
    setFineness('');
  };

  if (done) {
    return (
      <section class="card" aria-labelledby="done-title">
        <h2 id="done-title">{t('registered', { code: done.code })}</h2>
        <p role="status">
          {t('registeredFine', { fine: showGrams(done.fineWeightG) })} <RiskBadge level={done.riskLevel} />
        </p>
        {done.flags.length > 0 && (
          <div class="warning">
            <p>{t('flagsRaised')}</p>
            <FlagWords flags={done.flags} />
          </div>
        )}
        <div class="actions">
          <button type="button" onClick={() => props.go({ kind: 'lot', id: done.id })}>
            {t('openLot')}
          </button>
          <button type="button" class="secondary" onClick={reset}>
            {t('registerAnother')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section aria-labelledby="register-title">
      <h2 id="register-title">{t('registerLot')}</h2>
      <Problem>{error}</Problem>
      {step === 'review' ? (
        <div class="card">
          <h3>{t('reviewTitle')}</h3>
          <dl class="facts">
            <dt>{t('concession')}</dt>
            <dd>{concession ? `${concession.code} · ${concession.name}` : concessionId}</dd>
            <dt>{t('producer')}</dt>
            <dd>{producerId === props.me ? t('producerMe') : producerId}</dd>
            <dt>{t('origin')}</dt>
            <dd>{point && `${point[0].toFixed(6)}, ${point[1].toFixed(6)}`}</dd>
            <dt>{t('extractedOn')}</dt>
            <dd>{extractedOn}</dd>
            <dt>{t('gross')}</dt>
            <dd>{grossD && `${showGrams(grossD)} g`}</dd>
            <dt>{t('fineness')}</dt>
            <dd>{finenessD} ‰</dd>
            <dt>{t('fine')}</dt>
            <dd>
              <strong data-testid="register-fine">{fine && `${showGrams(fine)} g`}</strong>
            </dd>
            <dt>{t('form')}</dt>
            <dd>{wordFor(formWords[lang], form)}</dd>
          </dl>
          <div class="actions">
            <button type="button" disabled={busy} onClick={() => void confirm()}>
              {busy ? t('sending') : t('confirmRegister')}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => setStep('edit')}>
              {t('back')}
            </button>
          </div>
        </div>
      ) : (
        <form
          class="card"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            review();
          }}
        >
          <label for="r-concession">{t('concession')}</label>
          <select
            id="r-concession"
            value={concessionId}
            onChange={(e) => setConcessionId((e.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">{concessions ? t('chooseConcession') : t('loading')}</option>
            {concessions?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.code} · {c.name}
              </option>
            ))}
          </select>
          <label for="r-producer">{t('producer')}</label>
          <select
            id="r-producer"
            value={producer}
            onChange={(e) => setProducer((e.currentTarget as HTMLSelectElement).value)}
          >
            {producerOptions.map(([v, text]) => (
              <option key={v} value={v}>
                {text}
              </option>
            ))}
          </select>
          {producer === 'other' && (
            <>
              <label for="r-producer-id">{t('producerId')}</label>
              <input
                id="r-producer-id"
                autoComplete="off"
                spellcheck={false}
                value={otherProducer}
                onInput={(e) => setOtherProducer((e.currentTarget as HTMLInputElement).value)}
              />
            </>
          )}
          <fieldset>
            <legend>{t('origin')}</legend>
            {concessions && (
              <OriginMap
                concessions={concessions}
                selected={concessionId}
                point={point}
                pick={(la, lo) => {
                  setLat(la.toFixed(6));
                  setLon(lo.toFixed(6));
                }}
              />
            )}
            <div class="pair">
              <div>
                <label for="r-lat">{t('latitude')}</label>
                <input
                  id="r-lat"
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder="-12.945"
                  value={lat}
                  onInput={(e) => setLat((e.currentTarget as HTMLInputElement).value)}
                />
              </div>
              <div>
                <label for="r-lon">{t('longitude')}</label>
                <input
                  id="r-lon"
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder="-70.100"
                  value={lon}
                  onInput={(e) => setLon((e.currentTarget as HTMLInputElement).value)}
                />
              </div>
            </div>
          </fieldset>
          <label for="r-date">{t('extractedOn')}</label>
          <input
            id="r-date"
            type="date"
            max={today()}
            value={extractedOn}
            onInput={(e) => setExtractedOn((e.currentTarget as HTMLInputElement).value)}
          />
          <div class="pair">
            <div>
              <label for="r-gross">{t('grossG')}</label>
              <input
                id="r-gross"
                inputMode="decimal"
                autoComplete="off"
                value={gross}
                onInput={(e) => setGross((e.currentTarget as HTMLInputElement).value)}
              />
            </div>
            <div>
              <label for="r-fineness">{t('finenessPermille')}</label>
              <input
                id="r-fineness"
                inputMode="decimal"
                autoComplete="off"
                value={fineness}
                onInput={(e) => setFineness((e.currentTarget as HTMLInputElement).value)}
              />
            </div>
          </div>
          <p class="hint">{t('decimalHint')}</p>
          <label for="r-form">{t('form')}</label>
          <select
            id="r-form"
            value={form}
            onChange={(e) => setForm((e.currentTarget as HTMLSelectElement).value as LotForm)}
          >
            {lotForms.map((f) => (
              <option key={f} value={f}>
                {wordFor(formWords[lang], f)}
              </option>
            ))}
          </select>
          <p class="computed" aria-live="polite">
            {t('fine')}: <strong>{fine ? `${showGrams(fine)} g` : '—'}</strong>
          </p>
          {problems.length > 0 && (
            <div class="problem" role="alert">
              <ul>
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          )}
          <div class="actions">
            <button type="submit">{t('review')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
