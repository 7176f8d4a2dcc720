/** One lot: its facts, flags and QR, its label for printing, and the operations on it. */
import { useEffect, useState } from 'preact/hooks';
import { showGrams } from '../../domain/shared/grams.js';
import { describeError } from '../shared/api.js';
import type { Lot } from '../shared/api-types.js';
import { useLang, useT } from '../shared/i18n.js';
import type { AppContext } from '../shared/shell.js';
import { formWords, lotStatusWords, wordFor } from '../shared/words.js';
import { dict } from './i18n.js';
import { LabelView } from './label.js';
import { FlagWords, RiskBadge } from './lots.js';
import { ExportPanel, OpResult, RefinePanel, SplitPanel, TransferPanel } from './ops.js';
import { ProvenanceView } from './provenance.js';
import type { View } from './view.js';

type Op = 'split' | 'transfer' | 'refine' | 'export' | 'label';

/** An image the API serves behind the bearer token, as a blob URL for an <img>. */
function useBlobUrl(ctx: AppContext, path: string | null): string | null {
  // Kept with the path it shows: a URL of the previous lot is revoked, and never rendered again.
  const [shown, setShown] = useState<{ path: string; url: string } | null>(null);
  useEffect(() => {
    if (!path) return;
    let made: string | null = null;
    let live = true;
    ctx.api
      .raw(path)
      .then((r) => r.blob())
      .then((b) => {
        if (!live) return;
        made = URL.createObjectURL(b);
        setShown({ path, url: made });
      })
      .catch(() => setShown(null));
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [ctx.api, path]);
  return shown && shown.path === path ? shown.url : null;
}

export function LotDetail(props: {
  ctx: AppContext;
  me: string;
  id: string;
  go(v: View): void;
  changed(): void;
}) {
  const { api } = props.ctx;
  const lang = useLang();
  const t = useT(dict);
  const [lot, setLot] = useState<Lot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [op, setOp] = useState<Op | null>(null);
  const [result, setResult] = useState<{ title: string; lots: Lot[] } | null>(null);

  const load = async () => {
    try {
      setLot(await api.get<Lot>(`/v1/lots/${props.id}`));
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };
  useEffect(() => {
    setLot(null);
    setOp(null);
    setResult(null);
    void load();
  }, [props.id, api]);
  const qr = useBlobUrl(props.ctx, lot ? `/v1/lots/${lot.id}/qr.svg` : null);

  if (error) {
    return (
      <div class="problem" role="alert">
        <p>{error}</p>
        <button type="button" class="secondary" onClick={() => props.go({ kind: 'lots' })}>
          {t('backToLots')}
        </button>
      </div>
    );
  }
  if (!lot) return <p aria-busy="true">{t('loading')}</p>;

  const mine = lot.status === 'active' && lot.custodianId === props.me;
  const open = (id: string) => props.go({ kind: 'lot', id });
  const done = (r: { title: string; lots: Lot[] }) => {
    setOp(null);
    setResult(r);
    props.changed();
    // A lot handed over or exported is answered as it now stands; after a split, merge or
    // refining the lot itself is consumed: it is read again (it stays readable to its custodian).
    const same = r.lots.find((l) => l.id === lot.id);
    if (same) setLot(same);
    else void load();
  };
  const opProps = { ctx: props.ctx, lot, done, cancel: () => setOp(null) };

  return (
    <section aria-labelledby="lot-title">
      <div class="actions">
        <button type="button" class="secondary" onClick={() => props.go({ kind: 'lots' })}>
          ← {t('backToLots')}
        </button>
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
            <dd>{showGrams(lot.grossWeightG)} g</dd>
            <dt>{t('fineness')}</dt>
            <dd>{lot.fineness} ‰</dd>
            <dt>{t('fine')}</dt>
            <dd>{showGrams(lot.fineWeightG)} g</dd>
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
            {lot.custodianId !== props.me && (
              <>
                <dt>{t('custodian')}</dt>
                <dd class="mono">{lot.custodianId}</dd>
              </>
            )}
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
      {result && <OpResult title={result.title} lots={result.lots} me={props.me} open={open} />}
      <div class="actions ops">
        <button type="button" class="secondary" aria-pressed={op === 'label'} onClick={() => setOp('label')}>
          {t('printLabel')}
        </button>
        {mine && (
          <>
            <button type="button" aria-pressed={op === 'split'} onClick={() => setOp('split')}>
              {t('split')}
            </button>
            <button type="button" aria-pressed={op === 'transfer'} onClick={() => setOp('transfer')}>
              {t('transfer')}
            </button>
            <button type="button" aria-pressed={op === 'refine'} onClick={() => setOp('refine')}>
              {t('refine')}
            </button>
            <button type="button" aria-pressed={op === 'export'} onClick={() => setOp('export')}>
              {t('export')}
            </button>
          </>
        )}
      </div>
      {!mine && lot.status === 'active' && <p class="hint">{t('notInCustody')}</p>}
      {op === 'label' && <LabelView ctx={props.ctx} lot={lot} close={() => setOp(null)} />}
      {op === 'split' && <SplitPanel {...opProps} />}
      {op === 'transfer' && <TransferPanel {...opProps} />}
      {op === 'refine' && <RefinePanel {...opProps} />}
      {op === 'export' && <ExportPanel {...opProps} />}
      <ProvenanceView ctx={props.ctx} lot={lot} me={props.me} open={open} />
    </section>
  );
}
