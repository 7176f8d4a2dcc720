/**
 * The ledger: its latest signed head, and whether the whole log holds (GET /v1/ledger/verify
 * rebuilds the Merkle tree from the stored events and checks every signed head), with when it
 * was checked and, when it does not hold, the first leaf or head that fails and why.
 */
import { useEffect, useState } from 'preact/hooks';
import { type Api, answer } from '../shared/api.js';
import type { Verification } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { useDescribeProblem } from '../shared/problems.js';
import { Problem } from '../shared/ui.js';
import { formatDateTime, useRegT, verifyReasonWords } from './i18n.js';

export function LedgerScreen({ api }: { api: Api }) {
  const t = useRegT();
  const describe = useDescribeProblem();
  const lang = useLang();
  const head = useLoad(() => answer(api.GET('/v1/ledger/head')), [api]);
  const [check, setCheck] = useState<{ v: Verification; at: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const verify = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const v = await answer(api.GET('/v1/ledger/verify'));
      setCheck({ v, at: new Date().toISOString() });
    } catch (err) {
      setProblem(describe(err));
    } finally {
      setBusy(false);
    }
  };
  // Checked once when the section opens.
  useEffect(() => {
    void verify();
  }, []);

  const h = head.data;
  const v = check?.v;
  return (
    <section aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t('ledgerTitle')}</h2>
      <div class="grid">
        <section class="card" aria-labelledby="head-title">
          <h3 id="head-title">{t('head')}</h3>
          <Problem>{head.error}</Problem>
          {h ? (
            <dl class="facts ledger-head">
              <div>
                <dt>{t('treeSize')}</dt>
                <dd class="tree-size">{h.treeSize}</dd>
              </div>
              <div>
                <dt>{t('rootHash')}</dt>
                <dd>
                  <code class="hash">{h.rootHash}</code>
                </dd>
              </div>
              <div>
                <dt>{t('signedAt')}</dt>
                <dd>{formatDateTime(h.timestamp, lang)}</dd>
              </div>
              <div>
                <dt>{t('keyId')}</dt>
                <dd>
                  <code class="hash">{h.keyId}</code>
                </dd>
              </div>
              <div>
                <dt>{t('signature')}</dt>
                <dd>
                  <code class="hash">{h.signature}</code>
                </dd>
              </div>
            </dl>
          ) : (
            !head.error && <p role="status">…</p>
          )}
          <div class="actions">
            <button type="button" class="secondary" onClick={head.reload}>
              {t('refresh')}
            </button>
          </div>
        </section>
        <section class="card" aria-labelledby="verify-title">
          <h3 id="verify-title">{t('verification')}</h3>
          <div aria-live="polite">
            {busy && <p>{t('verifying')}</p>}
            <Problem>{problem}</Problem>
            {v && check && !busy && (
              <>
                <div class={`verdict ${v.ok ? 'pass' : 'hold'}`} data-verified={String(v.ok)}>
                  <strong>{v.ok ? t('verified') : t('failed')}</strong>
                  {v.ok ? (
                    <p>{t('verifiedDetail', { leaves: v.leavesChecked, heads: v.headsChecked })}</p>
                  ) : (
                    <ul>
                      {v.firstBadLeaf && (
                        <li>
                          {t('badLeaf', {
                            index: v.firstBadLeaf.leafIndex,
                            reason: verifyReasonWords[lang][v.firstBadLeaf.reason] ?? v.firstBadLeaf.reason,
                            detail: v.firstBadLeaf.detail,
                          })}
                        </li>
                      )}
                      {v.badHead && (
                        <li>
                          {t('badHead', {
                            size: v.badHead.treeSize,
                            date: formatDateTime(v.badHead.timestamp, lang),
                            reason: verifyReasonWords[lang][v.badHead.reason] ?? v.badHead.reason,
                            detail: v.badHead.detail,
                          })}
                        </li>
                      )}
                    </ul>
                  )}
                </div>
                {v.unsequencedEvents > 0 && (
                  <p class="hint">{t('unsequenced', { n: v.unsequencedEvents })}</p>
                )}
                <p class="checked-at">{t('checkedAt', { date: formatDateTime(check.at, lang) })}</p>
              </>
            )}
          </div>
          <div class="actions">
            <button type="button" onClick={() => void verify()} disabled={busy}>
              {t('verify')}
            </button>
          </div>
        </section>
      </div>
    </section>
  );
}
