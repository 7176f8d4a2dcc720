/**
 * One lot (#/lots/<id>): its facts, the people behind it by name and RUC (producer — as holder
 * or authorised operator of its concession —, custodian), its flags and QR, its label, and the
 * operations on it, each at an address of its own (#/lots/<id>/split…).
 */
import { useEffect, useState } from 'preact/hooks';
import { ActorName } from '../shared/actors.js';
import { answer } from '../shared/api.js';
import type { ConcessionDetail, Lot } from '../shared/api-types.js';
import { useLang, useT } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { navigate } from '../shared/route.js';
import type { AppContext } from '../shared/shell.js';
import { formWords, lotStatusWords, wordFor } from '../shared/words.js';
import { useUnits } from './amounts.js';
import { dict } from './i18n.js';
import { LabelView } from './label.js';
import { FlagWords, RiskBadge } from './lot-table.js';
import { ExportPanel } from './ops/export.js';
import { RefinePanel } from './ops/refine.js';
import { type OpOutcome, OpResult } from './ops/result.js';
import { SplitPanel } from './ops/split.js';
import { TransferPanel } from './ops/transfer.js';
import { ProvenanceView } from './provenance.js';
import { type LotOp, lotHref, lotsHref } from './routes.js';

/** A lot's QR (served behind the bearer token), as a blob URL for an <img>. */
function useQrUrl(ctx: AppContext, id: string | null): string | null {
  // Kept with the lot it shows: a URL of the previous lot is revoked, and never rendered again.
  const [shown, setShown] = useState<{ id: string; url: string } | null>(null);
  useEffect(() => {
    if (!id) return;
    let made: string | null = null;
    let live = true;
    answer(
      ctx.api.GET('/v1/lots/{id}/qr.svg', {
        params: { path: { id } },
        headers: { accept: 'image/svg+xml' },
        parseAs: 'blob',
      }),
    )
      .then((b) => {
        if (!live) return;
        made = URL.createObjectURL(b);
        setShown({ id, url: made });
      })
      .catch(() => setShown(null));
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [ctx.api, id]);
  return shown && shown.id === id ? shown.url : null;
}

/** The producer's standing on the lot's concession: holder, authorised operator, or neither. */
function producerRole(
  c: ConcessionDetail | undefined,
  producerId: string | null,
): 'holder' | 'operator' | null {
  if (!c || !producerId) return null;
  if (c.holderId === producerId) return 'holder';
  return c.operators.some((o) => o.actorId === producerId) ? 'operator' : null;
}

export function LotDetail(props: {
  ctx: AppContext;
  me: string;
  id: string;
  op: LotOp | null;
  changed(): void;
}) {
  const { api } = props.ctx;
  const lang = useLang();
  const t = useT(dict);
  const { g, permille } = useUnits();
  const loaded = useLoad(
    () => answer(api.GET('/v1/lots/{id}', { params: { path: { id: props.id } } })),
    [props.id, api],
  );
  const [fresh, setFresh] = useState<Lot | null>(null);
  const [result, setResult] = useState<OpOutcome | null>(null);
  useEffect(() => {
    setFresh(null);
    setResult(null);
  }, [props.id]);
  const lot = fresh?.id === props.id ? fresh : loaded.data?.id === props.id ? loaded.data : undefined;
  const concession = useLoad(
    () =>
      lot?.concessionId
        ? answer(api.GET('/v1/concessions/{id}', { params: { path: { id: lot.concessionId } } }))
        : Promise.resolve(undefined),
    [api, lot?.concessionId],
  );
  const qr = useQrUrl(props.ctx, lot ? lot.id : null);

  if (loaded.error && !lot) {
    return (
      <div class="problem" role="alert">
        <p>{loaded.error}</p>
        <a class="button secondary" href={lotsHref()}>
          {t('backToLots')}
        </a>
      </div>
    );
  }
  if (!lot) return <p aria-busy="true">{t('loading')}</p>;

  const mine = lot.status === 'active' && lot.custodianId === props.me;
  const op = props.op === 'label' || mine ? props.op : null;
  const close = () => navigate(lotHref(lot.id), { replace: true });
  const done = (r: OpOutcome) => {
    setResult(r);
    props.changed();
    // A lot handed over or exported is answered as it now stands; after a split or refining
    // the lot itself is consumed: it is read again (it stays readable to its custodian).
    const same = r.lots.find((l) => l.id === lot.id);
    if (same) setFresh(same);
    else
      void answer(api.GET('/v1/lots/{id}', { params: { path: { id: lot.id } } })).then(
        (l) => setFresh(l),
        () => undefined,
      );
    close();
  };
  const opProps = { ctx: props.ctx, lot, done, cancel: close };
  const c = concession.data;
  const role = producerRole(c, lot.producerId);
  const opLink = (which: LotOp, label: string, secondary = false) => (
    <a
      class={`button${secondary ? ' secondary' : ''}`}
      href={lotHref(lot.id, which)}
      aria-current={op === which ? 'page' : undefined}
    >
      {label}
    </a>
  );

  return (
    <section aria-labelledby="lot-title">
      <div class="actions">
        <a class="button secondary" href={lotsHref()}>
          ← {t('backToLots')}
        </a>
      </div>
      <div class="lot-head">
        <div>
          <h2 id="lot-title" class="mono">
            {lot.code}
          </h2>
          <p>
            <RiskBadge level={lot.riskLevel} /> {lotStatusWords[lang][lot.status]}
          </p>
          <dl class="facts">
            <dt>{t('gross')}</dt>
            <dd>{g(lot.grossWeightG)}</dd>
            <dt>{t('fineness')}</dt>
            <dd>{permille(lot.fineness)}</dd>
            <dt>{t('fine')}</dt>
            <dd>{g(lot.fineWeightG)}</dd>
            <dt>{t('form')}</dt>
            <dd>{wordFor(formWords[lang], lot.form)}</dd>
            <dt>{t('extractedOn')}</dt>
            <dd>{lot.extractedOn ?? '—'}</dd>
            <dt>{t('origin')}</dt>
            <dd>
              {lot.origin
                ? `${lot.origin.coordinates[1]?.toFixed(5)}, ${lot.origin.coordinates[0]?.toFixed(5)}`
                : t('originMixed')}
            </dd>
            {c && (
              <>
                <dt>{t('concession')}</dt>
                <dd>
                  {c.code} · {c.name}
                </dd>
                <dt>{t('holder')}</dt>
                <dd>
                  <ActorName api={api} id={c.holderId} />
                </dd>
              </>
            )}
            {lot.producerId && (
              <>
                <dt>{t('producer')}</dt>
                <dd data-testid="lot-producer">
                  <ActorName api={api} id={lot.producerId} />
                  {role && ` — ${t(role === 'holder' ? 'roleHolder' : 'roleOperator')}`}
                </dd>
              </>
            )}
            <dt>{t('custodian')}</dt>
            <dd data-testid="lot-custodian">
              {lot.custodianId === props.me ? t('custodianMe') : <ActorName api={api} id={lot.custodianId} />}
            </dd>
            {lot.exportedOn && (
              <>
                <dt>{t('exportedOn')}</dt>
                <dd>
                  {lot.exportedOn} · {lot.destinationCountry} · {lot.customsDeclaration}
                </dd>
              </>
            )}
          </dl>
        </div>
        <figure class="qr">
          {qr ? (
            <img src={qr} alt={t('qrAlt', { code: lot.code })} width={180} height={180} />
          ) : (
            <span>{t('loading')}</span>
          )}
          <figcaption class="hint">{t('qrCaption')}</figcaption>
        </figure>
      </div>
      <h3>{t('flags')}</h3>
      <FlagWords flags={lot.flags} />
      {result && <OpResult title={result.title} lots={result.lots} me={props.me} />}
      <nav class="actions ops" aria-label={t('operations')}>
        {opLink('label', t('printLabel'), true)}
        {mine && (
          <>
            {opLink('split', t('split'))}
            {opLink('transfer', t('transfer'))}
            {opLink('refine', t('refine'))}
            {opLink('export', t('export'))}
          </>
        )}
      </nav>
      {!mine && lot.status === 'active' && <p class="hint">{t('notInCustody')}</p>}
      {op === 'label' && <LabelView ctx={props.ctx} lot={lot} close={close} />}
      {op === 'split' && <SplitPanel {...opProps} />}
      {op === 'transfer' && <TransferPanel {...opProps} />}
      {op === 'refine' && <RefinePanel {...opProps} />}
      {op === 'export' && <ExportPanel {...opProps} />}
      <ProvenanceView ctx={props.ctx} lot={lot} me={props.me} />
    </section>
  );
}
