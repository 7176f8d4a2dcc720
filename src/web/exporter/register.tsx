/**
 * Registering a lot at extraction: producer, concession, origin (clicked on the map, which draws
 * the concessions, or typed), extraction date, gross weight, fineness and form; the fine weight
 * is computed on the device as the server will, and shown before the person confirms.
 */
import { useEffect, useState } from 'preact/hooks';
import { fineWeight } from '../../domain/shared/grams.js';
import { lotForms } from '../../domain/shared/vocabulary.js';
import { ActorPicker, actorLabel, type DirectoryEntry, shortId, useActors } from '../shared/actors.js';
import { allPages, answer } from '../shared/api.js';
import type { Lot, LotForm } from '../shared/api-types.js';
import { useLang, useT } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { typedDecimal } from '../shared/numbers.js';
import { navigate } from '../shared/route.js';
import type { AppContext } from '../shared/shell.js';
import { Problem } from '../shared/ui.js';
import { formWords, wordFor } from '../shared/words.js';
import { AmbiguousAmounts } from './amount-warning.js';
import { typedFineness, typedGrams, useUnits } from './amounts.js';
import { dict } from './i18n.js';
import { FlagWords, RiskBadge } from './lot-table.js';
import { OpSteps, type WriteQuery } from './ops/steps.js';
import { OriginMap } from './origin-map.js';
import { lotHref, lotsHref } from './routes.js';

const today = () => new Date().toISOString().slice(0, 10);

/** A coordinate in decimal degrees, typed with a decimal point or comma ("-12,945"). */
function parseCoord(text: string, max: number): number | null {
  const d = typedDecimal(text);
  if (d === null || !/^-?\d{1,3}(\.\d+)?$/.test(d)) return null;
  const n = Number(d);
  return Math.abs(n) <= max ? n : null;
}

export function RegisterLot(props: { ctx: AppContext; me: string; changed(): void }) {
  const { api } = props.ctx;
  const lang = useLang();
  const t = useT(dict);
  const { g, permille } = useUnits();
  const concessions = useLoad(
    () =>
      allPages(
        (cursor) =>
          answer(api.GET('/v1/concessions', { params: { query: { kind: 'mining', limit: 500, cursor } } })),
        2000,
      ),
    [api],
  );
  const [concessionId, setConcessionId] = useState('');
  const detail = useLoad(
    () =>
      concessionId
        ? answer(api.GET('/v1/concessions/{id}', { params: { path: { id: concessionId } } }))
        : Promise.resolve(null),
    [api, concessionId],
  );
  const [producer, setProducer] = useState('me');
  const [otherProducer, setOtherProducer] = useState<DirectoryEntry | null>(null);
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [extractedOn, setExtractedOn] = useState('');
  const [gross, setGross] = useState('');
  const [fineness, setFineness] = useState('');
  const [form, setForm] = useState<LotForm>('dore');
  const [problems, setProblems] = useState<string[]>([]);
  const [done, setDone] = useState<Lot | null>(null);
  const [attempt, setAttempt] = useState(0);

  const d = detail.data && detail.data.id === concessionId ? detail.data : null;
  // The holder works its own concession more often than anyone else: it is proposed first.
  useEffect(() => {
    if (d?.holderId && d.holderId !== props.me) setProducer((p) => (p === 'me' ? (d.holderId ?? p) : p));
  }, [d?.id]);

  const latN = parseCoord(lat, 90);
  const lonN = parseCoord(lon, 180);
  const point: [number, number] | null = latN !== null && lonN !== null ? [latN, lonN] : null;
  const grossD = typedGrams(gross);
  const finenessD = typedFineness(fineness);
  const fine = grossD && finenessD ? fineWeight(grossD, finenessD) : null;
  const producerId =
    producer === 'me' ? props.me : producer === 'other' ? (otherProducer?.id ?? '') : producer;
  const concession = concessions.data?.find((c) => c.id === concessionId);
  const names = useActors(api, [props.me, d?.holderId, ...(d?.operators ?? []).map((o) => o.actorId)]);
  const nameOf = (id: string) => {
    const e = names.get(id);
    return e ? actorLabel(e) : shortId(id);
  };
  const producerOptions: [string, string][] = [['me', t('producerMe', { who: nameOf(props.me) })]];
  if (d?.holderId && d.holderId !== props.me) {
    producerOptions.push([d.holderId, t('producerHolder', { who: nameOf(d.holderId) })]);
  }
  for (const o of d?.operators ?? []) {
    if (o.actorId !== props.me && o.actorId !== d?.holderId) {
      producerOptions.push([o.actorId, t('producerOperator', { who: nameOf(o.actorId) })]);
    }
  }
  producerOptions.push(['other', t('producerOther')]);
  const producerWords =
    producer === 'me'
      ? t('producerMe', { who: nameOf(props.me) })
      : producer === 'other'
        ? otherProducer
          ? actorLabel(otherProducer)
          : ''
        : (producerOptions.find(([v]) => v === producer)?.[1] ?? nameOf(producer));

  const check = () => {
    const p: string[] = [];
    if (!concessionId) p.push(t('needConcession'));
    if (!producerId) p.push(t('needProducer'));
    if (!point) p.push(t('needOrigin'));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(extractedOn) || extractedOn > today()) p.push(t('needDate'));
    if (!grossD) p.push(t('needGross'));
    if (!finenessD) p.push(t('needFineness'));
    setProblems(p);
    return p.length === 0;
  };
  const reset = () => {
    setDone(null);
    setGross('');
    setFineness('');
    setAttempt((n) => n + 1);
  };

  if (done) {
    return (
      <section class="card" aria-labelledby="done-title">
        <h2 id="done-title">{t('registered', { code: done.code })}</h2>
        <p role="status">
          {t('registeredFine', { fine: g(done.fineWeightG) })} <RiskBadge level={done.riskLevel} />
        </p>
        {done.flags.length > 0 && (
          <div class="warning">
            <p>{t('flagsRaised')}</p>
            <FlagWords flags={done.flags} />
          </div>
        )}
        <div class="actions">
          <a class="button" href={lotHref(done.id)}>
            {t('openLot')}
          </a>
          <button type="button" class="secondary" onClick={reset}>
            {t('registerAnother')}
          </button>
        </div>
      </section>
    );
  }

  const write =
    point && grossD && finenessD
      ? (query: WriteQuery) =>
          answer(
            api.POST('/v1/lots', {
              params: { query },
              body: {
                producerId,
                concessionId,
                origin: { type: 'Point', coordinates: [point[1], point[0]] },
                extractedOn,
                grossWeightG: grossD,
                fineness: finenessD,
                form,
              },
            }),
          )
      : null;
  return (
    <OpSteps
      key={attempt}
      level={2}
      title={t('registerLot')}
      canReview={true}
      check={check}
      write={write}
      confirmLabel={t('confirmRegister')}
      anywayLabel={t('registerAnyway')}
      permanent={t('permanentRegister')}
      fieldNames={{
        producerId: t('producer'),
        concessionId: t('concession'),
        origin: t('origin'),
        extractedOn: t('extractedOn'),
        grossWeightG: t('grossG'),
        fineness: t('finenessPermille'),
        form: t('form'),
      }}
      cancel={() => navigate(lotsHref())}
      done={(lot) => {
        setDone(lot);
        props.changed();
      }}
      review={
        <dl class="facts">
          <dt>{t('concession')}</dt>
          <dd>{concession ? `${concession.code} · ${concession.name}` : concessionId}</dd>
          <dt>{t('producer')}</dt>
          <dd>{producerWords}</dd>
          <dt>{t('origin')}</dt>
          <dd>{point && `${point[0].toFixed(6)}, ${point[1].toFixed(6)}`}</dd>
          <dt>{t('extractedOn')}</dt>
          <dd>{extractedOn}</dd>
          <dt>{t('gross')}</dt>
          <dd>{grossD && g(grossD)}</dd>
          <dt>{t('fineness')}</dt>
          <dd>{finenessD && permille(finenessD)}</dd>
          <dt>{t('fine')}</dt>
          <dd>
            <strong data-testid="register-fine">{fine && g(fine)}</strong>
          </dd>
          <dt>{t('form')}</dt>
          <dd>{wordFor(formWords[lang], form)}</dd>
        </dl>
      }
      edit={
        <>
          <Problem>{concessions.error ?? detail.error}</Problem>
          <label for="r-concession">{t('concession')}</label>
          <select
            id="r-concession"
            value={concessionId}
            onChange={(e) => setConcessionId((e.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">{concessions.data ? t('chooseConcession') : t('loading')}</option>
            {concessions.data?.map((c) => (
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
            <ActorPicker
              api={api}
              id="r-producer-search"
              label={t('producerSearch')}
              value={otherProducer}
              onChange={setOtherProducer}
            />
          )}
          <fieldset>
            <legend>{t('origin')}</legend>
            {concessions.data && (
              <OriginMap
                concessions={concessions.data}
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
                aria-describedby="r-decimal-hint"
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
                aria-describedby="r-decimal-hint"
                value={fineness}
                onInput={(e) => setFineness((e.currentTarget as HTMLInputElement).value)}
              />
            </div>
          </div>
          <p class="hint" id="r-decimal-hint">
            {t('decimalHint')}
          </p>
          <AmbiguousAmounts
            fields={[
              { label: t('grossG'), text: gross },
              { label: t('finenessPermille'), text: fineness },
            ]}
          />
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
            {t('fine')}: <strong>{fine ? g(fine) : '—'}</strong>
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
        </>
      }
    />
  );
}
