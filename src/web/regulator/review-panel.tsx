/**
 * The one review panel: a reason and a decision for the flags selected in a list, shown before
 * anything is written. A decision on a flag applies to its inherited copies too, and an
 * escalation raises copies on lots made from it meanwhile; the server's own dry run
 * (POST /v1/flags/:id/review?dryRun=true) lists every flag the decision will change, and the
 * regulator confirms that list. An inherited copy is reviewed through its source flag, as the
 * server requires.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, answer } from '../shared/api.js';
import type { FlagListItem, FlagStatus, ReviewPreview } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { useDescribeProblem } from '../shared/problems.js';
import { Problem } from '../shared/ui.js';
import { flagStatusWords, ruleWords, wordFor } from '../shared/words.js';
import { flagNameParts } from './flag-card.js';
import { useFlagT } from './flags-i18n.js';

const decisions = ['acknowledge', 'escalate', 'dismiss'] as const;
type Decision = (typeof decisions)[number];
const statusOf = { acknowledge: 'acknowledged', escalate: 'escalated', dismiss: 'dismissed' } as const;

type Touch = ReviewPreview['flags'][number];

/**
 * A source flag the decision is made on (inherited copies resolved to their sources), with what
 * its preview showed: its status and the lots and movements whose flags it changes. Both are
 * sent back with the decision, so the server applies exactly what was shown or refuses (409):
 * another regulator decided first, or lots were made from the flagged one meanwhile.
 */
interface Root {
  id: string;
  name: { rule: string; code: string };
  status?: FlagStatus;
  subjects?: string[];
}

interface Preview {
  decision: Decision;
  roots: Root[];
  touches: Touch[];
}

export function ReviewPanel(props: {
  api: Api;
  selected: FlagListItem[];
  onClear(): void;
  onReviewed(message: string): void;
  /**
   * Some of a decision was refused (changed meanwhile) and the rest went through: the list must
   * be read again and the selection made anew; `message` says what was refused.
   */
  onChanged(message: string): void;
}) {
  const t = useFlagT();
  const lang = useLang();
  const describe = useDescribeProblem();
  const { api, selected } = props;
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const previewTitle = useRef<HTMLHeadingElement>(null);
  const selectionKey = selected.map((f) => f.id).join(',');

  // A new selection asks anew: an old preview would describe other flags.
  useEffect(() => {
    setPreview(null);
    setProblem(null);
  }, [selectionKey]);
  useEffect(() => {
    if (preview) previewTitle.current?.focus();
  }, [preview]);

  const only = selected.length === 1 ? selected[0] : undefined;
  const onlyName = only ? flagNameParts(only, lang) : undefined;

  const rootsOfSelection = () => {
    const roots = new Map<string, { rule: string; code: string }>();
    for (const f of selected) {
      const id = f.inheritedFrom ?? f.id;
      if (!roots.has(id)) roots.set(id, flagNameParts(f, lang));
    }
    return [...roots].map(([id, name]) => ({ id, name }));
  };

  const ask = async (decision: Decision) => {
    if (reason.trim().length < 3) {
      setProblem(t('reasonMissing'));
      document.getElementById('review-reason')?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    const roots: Root[] = rootsOfSelection();
    const touches = new Map<string, Touch>();
    const problems: string[] = [];
    for (const root of roots) {
      try {
        const p = await answer(
          api.POST('/v1/flags/{id}/review', {
            params: { path: { id: root.id }, query: { dryRun: 'true' } },
            body: { decision, reason: reason.trim() },
          }),
        );
        // A dry run is answered with its preview, never with the reviewed flag.
        if ('flags' in p) {
          for (const f of p.flags) touches.set(f.id, f);
          root.status = p.flags.find((f) => f.id === root.id)?.statusBefore ?? undefined;
          root.subjects = p.flags.map((f) => f.subjectId);
        }
      } catch (err) {
        problems.push(t('reviewFailed', { ...root.name, problem: describe(err) }));
      }
    }
    setBusy(false);
    if (problems.length > 0) {
      setProblem(problems.join(' '));
      return;
    }
    setPreview({ decision, roots, touches: [...touches.values()] });
  };

  const confirm = async () => {
    if (!preview) return;
    setBusy(true);
    setProblem(null);
    const problems: string[] = [];
    for (const root of preview.roots) {
      try {
        await answer(
          api.POST('/v1/flags/{id}/review', {
            params: { path: { id: root.id } },
            body: {
              decision: preview.decision,
              reason: reason.trim(),
              ...(root.status ? { expectedStatus: root.status } : {}),
              ...(root.subjects ? { expectedSubjects: root.subjects } : {}),
            },
          }),
        );
      } catch (err) {
        problems.push(t('reviewFailed', { ...root.name, problem: describe(err) }));
      }
    }
    setBusy(false);
    if (problems.length > 0) {
      // Some roots may have been decided, others refused as changed meanwhile: the list is
      // reloaded and the preview dropped, so what is confirmed next is asked anew.
      setPreview(null);
      props.onChanged(`${problems.join(' ')} ${t('previewAgain')}`);
    } else {
      const n = preview.touches.length;
      setPreview(null);
      setReason('');
      props.onReviewed(
        t(n === 1 ? 'reviewDoneOne' : 'reviewDone', {
          n,
          status: flagStatusWords[lang][statusOf[preview.decision]],
        }),
      );
    }
  };

  const decisionWord = (d: Decision) => t(d);
  const buttonName = (d: Decision) =>
    onlyName
      ? t('decideOne', { decision: decisionWord(d), ...onlyName })
      : t('decideMany', { decision: decisionWord(d), n: selected.length });

  return (
    <section id="review-panel" class="card review-panel" aria-labelledby="review-title" tabIndex={-1}>
      <h3 id="review-title">{t('panelTitle')}</h3>
      {selected.length === 0 ? (
        <p class="hint">{t('panelNone')}</p>
      ) : (
        <form
          class="review"
          onSubmit={(e) => {
            e.preventDefault();
          }}
        >
          <p role="status">
            {onlyName ? t('panelSelectedOne', onlyName) : t('panelSelected', { n: selected.length })}{' '}
            <button type="button" class="secondary small" onClick={props.onClear}>
              {t('clearSelection')}
            </button>
          </p>
          <label for="review-reason">{t('reason')}</label>
          <textarea
            id="review-reason"
            required
            minLength={3}
            maxLength={2000}
            aria-describedby="review-reason-help"
            value={reason}
            onInput={(e) => {
              setReason((e.currentTarget as HTMLTextAreaElement).value);
              setPreview(null);
            }}
          />
          <p class="hint" id="review-reason-help">
            {t('reasonHelp')}
          </p>
          <Problem>{problem}</Problem>
          {!preview && (
            <div class="actions">
              {decisions.map((d) => (
                <button
                  key={d}
                  type="button"
                  class={d === 'dismiss' ? 'secondary' : d === 'escalate' ? 'danger' : undefined}
                  disabled={busy}
                  onClick={() => void ask(d)}
                >
                  {buttonName(d)}
                </button>
              ))}
            </div>
          )}
          {busy && !preview && <p role="status">{t('previewing')}</p>}
          {preview && (
            <div class="review-preview">
              <h4 id="preview-title" tabIndex={-1} ref={previewTitle}>
                {t(preview.touches.length === 1 ? 'previewTitleOne' : 'previewTitle', {
                  n: preview.touches.length,
                })}
              </h4>
              <p class="hint">{t('previewHelp')}</p>
              <ul class="touch-list">
                {preview.touches.map((f) => (
                  <li key={f.id} class={`touch-${f.change}`}>
                    {t('touchLine', {
                      rule: wordFor(ruleWords[lang], f.rule),
                      kind: f.subjectType === 'lot' ? t('subjectLot') : t('subjectMovement'),
                      code: f.subjectCode ?? f.subjectId.slice(0, 8),
                      change: t(
                        f.change === 'reviewed'
                          ? 'touchReviewed'
                          : f.change === 'copy'
                            ? 'touchCopy'
                            : 'touchNewCopy',
                      ),
                      before: f.statusBefore ? flagStatusWords[lang][f.statusBefore] : t('touchNew'),
                      after: flagStatusWords[lang][f.statusAfter],
                    })}
                  </li>
                ))}
              </ul>
              <div class="actions">
                <button
                  type="button"
                  class={preview.decision === 'escalate' ? 'danger' : undefined}
                  disabled={busy}
                  onClick={() => void confirm()}
                >
                  {t(preview.touches.length === 1 ? 'confirmOne' : 'confirm', {
                    decision: decisionWord(preview.decision).toLowerCase(),
                    n: preview.touches.length,
                  })}
                </button>
                <button type="button" class="secondary" disabled={busy} onClick={() => setPreview(null)}>
                  {t('cancel')}
                </button>
              </div>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
