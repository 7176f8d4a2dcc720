/**
 * The AML report for a period, fetched with the bearer token and offered as a file: CSV for a
 * spreadsheet, JSON for other systems. The page keeps the file as a blob: URL (CSP allows it).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../shared/api.js';
import type { AmlReport } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { useDescribeProblem } from '../shared/problems.js';
import { Problem } from '../shared/ui.js';
import { utcDay } from './data.js';
import { useRegT } from './i18n.js';

interface Ready {
  url: string;
  file: string;
  summary: string;
}

export function ReportsScreen({ api }: { api: Api }) {
  const t = useRegT();
  const lang = useLang();
  const describe = useDescribeProblem();
  const [from, setFrom] = useState(utcDay(-30));
  const [to, setTo] = useState(utcDay());
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [ready, setReady] = useState<Ready | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const link = useRef<HTMLAnchorElement>(null);

  // A blob URL holds its file in memory until revoked.
  useEffect(() => () => void (ready && URL.revokeObjectURL(ready.url)), [ready]);
  useEffect(() => {
    if (ready) link.current?.focus();
  }, [ready]);

  const generate = async () => {
    setBusy(true);
    setProblem(null);
    setReady(null);
    try {
      // The CSV's headers and words in the reader's language.
      const { data: blob, response: res } = await api.GET('/v1/reports/aml', {
        params: { query: { from, to, format, lang } },
        headers: { accept: format === 'csv' ? 'text/csv' : 'application/json' },
        parseAs: 'blob',
      });
      // A failure was thrown as a problem by the client's middleware: an answer here has its body.
      if (!blob) throw new Error('empty report answer');
      let summary: string;
      if (format === 'json') {
        const report = JSON.parse(await blob.text()) as AmlReport;
        summary = t('reportReady', {
          lots: report.totals.lots,
          movements: report.totals.movements,
          flags: report.totals.flags,
        });
      } else {
        const rows = (await blob.text()).split('\r\n').filter((l) => l.length > 0).length - 1;
        summary = t('reportReadyCsv', { rows: Math.max(0, rows) });
      }
      const named = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
      setReady({ url: URL.createObjectURL(blob), file: named ?? `aml-${from}-${to}.${format}`, summary });
    } catch (err) {
      setProblem(describe(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="reports-title">
      <h2 id="reports-title">{t('reportsTitle')}</h2>
      <p class="hint">{t('reportsHelp')}</p>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void generate();
        }}
      >
        <div class="filters">
          <div>
            <label for="aml-from">{t('from')}</label>
            <input
              id="aml-from"
              type="date"
              required
              value={from}
              onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <div>
            <label for="aml-to">{t('to')}</label>
            <input
              id="aml-to"
              type="date"
              required
              value={to}
              onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
        </div>
        <fieldset>
          <legend>{t('format')}</legend>
          {(['csv', 'json'] as const).map((f) => (
            <label class="check" key={f}>
              <input
                type="radio"
                name="aml-format"
                value={f}
                checked={format === f}
                onChange={() => setFormat(f)}
              />{' '}
              {t(f)}
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('generate')}
          </button>
        </div>
      </form>
      <Problem>{problem}</Problem>
      {ready && (
        <div class="notice" role="status">
          <p>{ready.summary}</p>
          <a ref={link} class="button" href={ready.url} download={ready.file}>
            {t('download', { file: ready.file })}
          </a>
        </div>
      )}
    </section>
  );
}
