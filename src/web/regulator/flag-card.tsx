/**
 * One flag in a list, collapsed: a checkbox to select it for the review panel, and a summary —
 * the rule in words, its severity, its status and how long it has waited — that opens onto its
 * evidence, its review and the lot it came from. No decision is taken here: the one review panel
 * (review-panel.tsx) decides on whatever is selected.
 */
import type { FlagListItem } from '../shared/api-types.js';
import { evidenceLines, evidenceSentence } from '../shared/evidence.js';
import { useLang } from '../shared/i18n.js';
import { href } from '../shared/route.js';
import { SeverityBadge } from '../shared/ui.js';
import { flagStatusWords, ruleWords, wordFor } from '../shared/words.js';
import { ageOf, type FlagT, uniqueNames, useFlagT } from './flags-i18n.js';
import { formatDateTime } from './i18n.js';

/** A flag's subject as people name it: its printed code (the id's start when it has none). */
export const codeOf = (f: Pick<FlagListItem, 'subjectCode' | 'subjectId'>): string =>
  f.subjectCode ?? f.subjectId.slice(0, 8);

/** The words that name a flag in buttons and labels: "<rule in words> de <code>". */
export function flagNameParts(f: FlagListItem, lang: 'es' | 'en') {
  return { rule: wordFor(ruleWords[lang], f.rule), code: codeOf(f) };
}

/** A flag's evidence, readable: the rule's sentence and its facts. */
function EvidenceView({ flag, t }: { flag: Pick<FlagListItem, 'rule' | 'evidence'>; t: FlagT }) {
  const lang = useLang();
  const sentence = evidenceSentence(flag.rule, flag.evidence, lang);
  const lines = evidenceLines(flag.evidence, lang);
  return (
    <div class="evidence">
      {sentence && <p>{sentence}</p>}
      {lines.length > 0 && (
        <details open={!sentence}>
          <summary>{t('evidence')}</summary>
          <dl>
            {lines.map((l) => (
              <div key={l.label}>
                <dt>{l.label}</dt>
                <dd>{l.value}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </div>
  );
}

export function FlagItem(props: {
  flag: FlagListItem;
  selected: boolean;
  /** Unique accessible names, worked out by the list (uniqueNames). */
  selectName: string;
  reviewName: string;
  /** Code of the lot a copy was inherited from, when known. */
  sourceCode?: string | undefined;
  /** On a lot's own page the lot needs no link. */
  showLotLink: boolean;
  onToggle(selected: boolean): void;
  onReview(): void;
}) {
  const t = useFlagT();
  const lang = useLang();
  const { flag: f } = props;
  const id = `flag-${f.id}`;
  const { rule, code } = flagNameParts(f, lang);
  const sourceLotId = typeof f.evidence.sourceLotId === 'string' ? f.evidence.sourceLotId : undefined;
  return (
    <div class={`card flag-card severity-${f.severity}`} data-flag-id={f.id}>
      <input
        id={`${id}-select`}
        type="checkbox"
        class="flag-select"
        checked={props.selected}
        aria-label={props.selectName}
        onChange={(e) => props.onToggle((e.currentTarget as HTMLInputElement).checked)}
      />
      <details class="flag-details">
        <summary>
          <span class="flag-rule">{rule}</span>
          <span class="flag-meta">
            <SeverityBadge level={f.severity} />
            <span class={`badge status-${f.status}`}>{flagStatusWords[lang][f.status]}</span>
            {f.inheritedFrom && <span class="badge">{t('inheritedBadge')}</span>}
            <span class="flag-subject">{code}</span>
            <time dateTime={f.createdAt} title={formatDateTime(f.createdAt, lang)}>
              {t('raised', { age: ageOf(f.createdAt, lang) })}
            </time>
          </span>
        </summary>
        <div class="flag-body">
          <EvidenceView flag={f} t={t} />
          {f.inheritedFrom && (
            <p class="warning">
              {props.sourceCode ? t('inherited', { code: props.sourceCode }) : t('inheritedUnknown')}{' '}
              {sourceLotId && props.sourceCode && (
                <a href={href(['lots', sourceLotId])}>{t('openLot', { code: props.sourceCode })}</a>
              )}
            </p>
          )}
          {f.reviewedAt && (
            <p class="hint">
              {t('reviewed', {
                who: f.reviewedBy ?? '—',
                date: formatDateTime(f.reviewedAt, lang),
                reason: f.reviewReason ?? '',
              })}
            </p>
          )}
          <div class="actions">
            <button type="button" class="secondary" onClick={props.onReview}>
              {props.reviewName}
            </button>
            {props.showLotLink && f.subjectType === 'lot' && (
              <a href={href(['lots', f.subjectId])}>{t('openLot', { code })}</a>
            )}
          </div>
        </div>
      </details>
    </div>
  );
}

/** The accessible names of a list of flags, unique even when a lot has one rule twice. */
export function flagNames(items: FlagListItem[], lang: 'es' | 'en', t: FlagT) {
  const parts = items.map((f) => flagNameParts(f, lang));
  const select = uniqueNames(parts.map((p) => t('selectFlag', p)));
  const review = uniqueNames(parts.map((p) => t('reviewThis', p)));
  return new Map(items.map((f, i) => [f.id, { select: select[i] ?? '', review: review[i] ?? '' }]));
}
