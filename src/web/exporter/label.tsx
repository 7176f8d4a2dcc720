/**
 * A lot's printable label. The label endpoint wants the bearer token, so the page fetches it and
 * shows the label itself in a print sheet (the print stylesheet hides everything else); it may
 * also be opened alone in a new window from a blob URL.
 */
import { useEffect, useState } from 'preact/hooks';
import { answer } from '../shared/api.js';
import type { Lot } from '../shared/api-types.js';
import { useT } from '../shared/i18n.js';
import { useDescribeProblem } from '../shared/problems.js';
import type { AppContext } from '../shared/shell.js';
import { Problem } from '../shared/ui.js';
import { dict } from './i18n.js';

export function LabelView(props: { ctx: AppContext; lot: Lot; close(): void }) {
  const t = useT(dict);
  const [html, setHtml] = useState<string | null>(null);
  const [label, setLabel] = useState<string | null>(null);
  const describe = useDescribeProblem();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    answer(
      props.ctx.api.GET('/v1/lots/{id}/label', {
        params: { path: { id: props.lot.id } },
        headers: { accept: 'text/html' },
        parseAs: 'text',
      }),
    )
      .then((text) => {
        setHtml(text);
        // The label's own markup (escaped by the server), without its page and stylesheet.
        const doc = new DOMParser().parseFromString(text, 'text/html');
        // Its code heading nests under the panel's (h4): the page keeps one h1 and its heading order.
        setLabel(doc.querySelector('.label')?.outerHTML.replace(/<(\/?)h1>/g, '<$1h4>') ?? null);
      })
      .catch((err: unknown) => setError(err));
  }, [props.ctx.api, props.lot.id]);

  const openAlone = () => {
    if (!html) return;
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  return (
    <section class="card" aria-labelledby="label-title">
      <h3 id="label-title">{t('labelTitle', { code: props.lot.code })}</h3>
      <Problem>{error ? describe(error) : null}</Problem>
      {label ? (
        <div class="label-sheet" data-testid="label" dangerouslySetInnerHTML={{ __html: label }} />
      ) : (
        error === null && <p aria-busy="true">{t('loading')}</p>
      )}
      <div class="actions">
        <button type="button" disabled={!label} onClick={() => window.print()}>
          {t('print')}
        </button>
        <button type="button" class="secondary" disabled={!html} onClick={openAlone}>
          {t('openLabelWindow')}
        </button>
        <button type="button" class="secondary" onClick={props.close}>
          {t('close')}
        </button>
      </div>
    </section>
  );
}
