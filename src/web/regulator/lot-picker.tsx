/**
 * Finding a lot by its printed code, on the server: as the regulator types, the codes that
 * contain the fragment (GET /v1/lots?q=, any case, with or without dashes) are offered as links;
 * Enter opens the lot the typed code names exactly (GET /v1/lots?code=) or, failing that, the one
 * lot the fragment matches, or a lot's id pasted whole.
 */
import { useEffect, useState } from 'preact/hooks';
import { type Api, answer as dataOf } from '../shared/api.js';
import type { Lot } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { useDescribeProblem } from '../shared/problems.js';
import { href } from '../shared/route.js';
import { Problem, SeverityBadge } from '../shared/ui.js';
import { lotStatusWords } from '../shared/words.js';
import { useRegT } from './i18n.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type LotPage = { items: Lot[]; nextCursor: string | null };

export function LotPicker(props: { api: Api; onOpenLot(id: string): void }) {
  const t = useRegT();
  const lang = useLang();
  const describe = useDescribeProblem();
  const { api } = props;
  const [draft, setDraft] = useState('');
  // The suggestions and the text they answer: an answer to older text is not offered.
  const [answer, setAnswer] = useState<{ fragment: string; page: LotPage } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fragment = draft.trim();
  const found = answer?.fragment === fragment ? answer.page : null;

  // Suggestions a moment after typing stops, so each key does not cost a request.
  useEffect(() => {
    if (fragment.length < 2 || uuid.test(fragment)) {
      setAnswer(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      dataOf(api.GET('/v1/lots', { params: { query: { q: fragment, limit: 8 } } })).then(
        (page) => live && setAnswer({ fragment, page }),
        (err: unknown) => live && setProblem(describe(err)),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, fragment]);

  const open = async () => {
    setProblem(null);
    if (uuid.test(fragment)) return props.onOpenLot(fragment.toLowerCase());
    try {
      const exact = await dataOf(api.GET('/v1/lots', { params: { query: { code: fragment, limit: 1 } } }));
      const lot = exact.items[0] ?? (found?.items.length === 1 ? found.items[0] : undefined);
      if (lot) props.onOpenLot(lot.id);
      else setProblem(t('lotUnknown'));
    } catch (err) {
      setProblem(describe(err));
    }
  };

  return (
    <form
      class="lot-picker"
      onSubmit={(e) => {
        e.preventDefault();
        void open();
      }}
    >
      <label for="lot-pick">{t('lotPick')}</label>
      <div class="inline">
        <input
          id="lot-pick"
          value={draft}
          autoComplete="off"
          spellcheck={false}
          aria-describedby="lot-pick-help"
          aria-controls="lot-pick-found"
          onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit">{t('show')}</button>
      </div>
      <p class="hint" id="lot-pick-help">
        {t('lotPickHelp')}
      </p>
      <div id="lot-pick-found" aria-live="polite">
        {found && fragment.length >= 2 && (
          <>
            <p class="hint">
              {found.items.length === 0
                ? t('lotSearchNone')
                : t(found.nextCursor ? 'lotSearchMore' : 'lotSearchSome', { n: found.items.length })}
            </p>
            {found.items.length > 0 && (
              <ul class="lot-found">
                {found.items.map((l) => (
                  <li key={l.id}>
                    <a href={href(['lots', l.id])}>{l.code}</a> <SeverityBadge level={l.riskLevel} />{' '}
                    <span class="hint">{lotStatusWords[lang][l.status]}</span>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
      <Problem>{problem}</Problem>
    </form>
  );
}
