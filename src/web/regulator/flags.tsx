/**
 * The flag queue: flags filtered by status, rule, subject type and severity, each said in plain
 * words with its evidence, and a regulator's decision on it (acknowledge, escalate, dismiss)
 * with a required reason. The server refuses a decision on an inherited copy (409) and says
 * which flag to review instead; that detail is shown as it comes.
 */
import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiProblem, describeError } from '../shared/api.js';
import type {
  Flag,
  FlagStatus,
  Lot,
  Movement,
  RuleCode,
  Severity,
  SubjectType,
} from '../shared/api-types.js';
import { evidenceLines, evidenceSentence } from '../shared/evidence.js';
import { useLang } from '../shared/i18n.js';
import { Problem, SeverityBadge } from '../shared/ui.js';
import { flagStatusWords, ruleWords, severityWords, wordFor } from '../shared/words.js';
import { formatDateTime, type T, useRegT } from './i18n.js';

const statuses: FlagStatus[] = ['open', 'escalated', 'acknowledged', 'dismissed'];
const severitiesList: Severity[] = ['critical', 'high', 'medium', 'low'];
const ruleList = Object.keys(ruleWords.es) as RuleCode[];

interface Filters {
  status: FlagStatus | '';
  rule: RuleCode | '';
  subjectType: SubjectType | '';
  severity: Severity | '';
}

/** The subject of a flag as people name it: a lot's or a movement's code. */
export interface Subject {
  kind: SubjectType;
  code: string;
}

async function subjectsOf(
  api: Api,
  flags: Flag[],
  known: Map<string, Subject>,
): Promise<Map<string, Subject>> {
  const out = new Map(known);
  const missing = [...new Set(flags.map((f) => `${f.subjectType}:${f.subjectId}`))].filter(
    (k) => !out.has(k.slice(k.indexOf(':') + 1)),
  );
  await Promise.all(
    missing.map(async (k) => {
      const [kind, id] = k.split(':') as [SubjectType, string];
      try {
        const s =
          kind === 'lot'
            ? await api.get<Lot>(`/v1/lots/${id}`)
            : await api.get<Movement>(`/v1/movements/${id}`);
        out.set(id, { kind, code: s.code });
      } catch {
        out.set(id, { kind, code: id.slice(0, 8) });
      }
    }),
  );
  return out;
}

export function FlagQueue(props: { api: Api; onOpenLot(id: string): void; onReviewed(): void }) {
  const t = useRegT();
  const { api } = props;
  const [filters, setFilters] = useState<Filters>({
    status: 'open',
    rule: '',
    subjectType: '',
    severity: '',
  });
  const [flags, setFlags] = useState<Flag[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [subjects, setSubjects] = useState(new Map<string, Subject>());
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  const query = (after: string | null) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    q.set('limit', '50');
    if (after) q.set('cursor', after);
    return `/v1/flags?${q}`;
  };

  const load = async (after: string | null) => {
    try {
      const page = await api.get<{ items: Flag[]; nextCursor: string | null }>(query(after));
      const named = await subjectsOf(api, page.items, subjects);
      setSubjects(named);
      setFlags((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };

  // Reloads when the filters change or after a review.
  useEffect(() => {
    void load(null);
  }, [filters, tick]);

  const set = (k: keyof Filters) => (e: Event) =>
    setFilters({ ...filters, [k]: (e.currentTarget as HTMLSelectElement).value });

  return (
    <section aria-labelledby="flags-title">
      <h2 id="flags-title">{t('flagsTitle')}</h2>
      <FilterForm t={t} filters={filters} set={set} />
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      <Problem>{error}</Problem>
      {flags === null ? (
        <p role="status">…</p>
      ) : flags.length === 0 ? (
        <p>{t('noFlags')}</p>
      ) : (
        <>
          <p class="hint">{t('flagCount', { n: flags.length + (cursor ? '+' : '') })}</p>
          <ol class="flag-list">
            {flags.map((f) => (
              <li key={f.id}>
                <FlagCard
                  api={api}
                  flag={f}
                  subject={subjects.get(f.subjectId)}
                  onOpenLot={props.onOpenLot}
                  onReviewed={(message) => {
                    setDone(message);
                    setTick((n) => n + 1);
                    props.onReviewed();
                  }}
                />
              </li>
            ))}
          </ol>
          {cursor && (
            <div class="actions">
              <button type="button" class="secondary" onClick={() => void load(cursor)}>
                {t('loadMore')}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function FilterForm(props: { t: T; filters: Filters; set: (k: keyof Filters) => (e: Event) => void }) {
  const { t, filters, set } = props;
  const lang = useLang();
  return (
    <form class="filters" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
      <div>
        <label for="f-status">{t('status')}</label>
        <select id="f-status" value={filters.status} onChange={set('status')}>
          <option value="">{t('any')}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {flagStatusWords[lang][s]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-rule">{t('rule')}</label>
        <select id="f-rule" value={filters.rule} onChange={set('rule')}>
          <option value="">{t('any')}</option>
          {ruleList.map((r) => (
            <option key={r} value={r}>
              {ruleWords[lang][r]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-subject">{t('subjectType')}</label>
        <select id="f-subject" value={filters.subjectType} onChange={set('subjectType')}>
          <option value="">{t('any')}</option>
          <option value="lot">{t('subjectLot')}</option>
          <option value="movement">{t('subjectMovement')}</option>
        </select>
      </div>
      <div>
        <label for="f-severity">{t('severity')}</label>
        <select id="f-severity" value={filters.severity} onChange={set('severity')}>
          <option value="">{t('any')}</option>
          {severitiesList.map((s) => (
            <option key={s} value={s}>
              {severityWords[lang][s]}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

/** A flag's evidence, readable: the rule's sentence and its facts. */
function EvidenceView({ flag }: { flag: Pick<Flag, 'rule' | 'evidence'> }) {
  const lang = useLang();
  const sentence = evidenceSentence(flag.rule, flag.evidence, lang);
  const lines = evidenceLines(flag.evidence, lang);
  return (
    <div class="evidence">
      {sentence && <p>{sentence}</p>}
      {lines.length > 0 && (
        <details open={!sentence}>
          <summary>{useRegT()('evidence')}</summary>
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

const decisions = ['acknowledge', 'escalate', 'dismiss'] as const;
type Decision = (typeof decisions)[number];

export function FlagCard(props: {
  api: Api;
  flag: Flag;
  subject: Subject | undefined;
  /** Shown on the lot's own page: no link to the lot. */
  inLot?: boolean;
  onOpenLot(id: string): void;
  onReviewed(message: string): void;
}) {
  const t = useRegT();
  const lang = useLang();
  const { flag: f } = props;
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `flag-${f.id}`;
  const subjectName = props.subject
    ? t('subjectOf', {
        kind: props.subject.kind === 'lot' ? t('subjectLot') : t('subjectMovement'),
        code: props.subject.code,
      })
    : f.subjectId;

  const decide = async (decision: Decision) => {
    if (reason.trim().length < 3) {
      setProblem(t('reasonMissing'));
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const updated = await props.api.post<Flag>(`/v1/flags/${f.id}/review`, {
        decision,
        reason: reason.trim(),
      });
      setReason('');
      props.onReviewed(
        t('reviewDone', {
          rule: wordFor(ruleWords[lang], f.rule),
          subject: subjectName,
          status: flagStatusWords[lang][updated.status],
        }),
      );
    } catch (err) {
      setProblem(err instanceof ApiProblem ? err.describe() : describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class={`card flag-card severity-${f.severity}`} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} title={f.rule}>
        {wordFor(ruleWords[lang], f.rule)}
      </h3>
      <p class="flag-meta">
        <SeverityBadge level={f.severity} />{' '}
        <span class={`badge status-${f.status}`}>{flagStatusWords[lang][f.status]}</span>{' '}
        <span>{subjectName}</span> <span>{t('raisedAt', { date: formatDateTime(f.createdAt, lang) })}</span>
      </p>
      <EvidenceView flag={f} />
      {f.inheritedFrom && (
        <div class="warning">
          <p>{t('inherited', { id: f.inheritedFrom.slice(0, 8) })}</p>
          {typeof f.evidence.sourceLotId === 'string' && (
            <button
              type="button"
              class="secondary"
              onClick={() => props.onOpenLot(f.evidence.sourceLotId as string)}
            >
              {t('openSource')}
            </button>
          )}
        </div>
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
      {f.subjectType === 'lot' && !props.inLot && (
        <div class="actions">
          <button type="button" class="secondary" onClick={() => props.onOpenLot(f.subjectId)}>
            {t('viewLot', { code: props.subject?.code ?? '' })}
          </button>
        </div>
      )}
      <form
        class="review"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <label for={`${id}-reason`}>{t('reason')}</label>
        <textarea
          id={`${id}-reason`}
          required
          minLength={3}
          maxLength={2000}
          aria-describedby={`${id}-reason-help`}
          value={reason}
          onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
        />
        <p class="hint" id={`${id}-reason-help`}>
          {t('reasonHelp')}
        </p>
        <Problem>{problem}</Problem>
        <div class="actions">
          {decisions.map((d) => (
            <button
              key={d}
              type="button"
              class={d === 'dismiss' ? 'secondary' : d === 'escalate' ? 'danger' : undefined}
              disabled={
                busy ||
                f.status ===
                  ({ acknowledge: 'acknowledged', escalate: 'escalated', dismiss: 'dismissed' } as const)[d]
              }
              onClick={() => void decide(d)}
            >
              {t(d)}
            </button>
          ))}
        </div>
      </form>
    </article>
  );
}
