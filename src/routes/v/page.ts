import { html } from 'hono/html';
import type { PublicVerification } from '../../domain/lots/public-verification.js';
import {
  formWords,
  inputWords,
  lotStatusWords,
  movementStatusWords,
  severityWords,
  subjectTypeWords,
  type WordLang,
  wordFor,
} from '../../domain/shared/words.js';
import { type PageKey, pageWords } from './words.js';

/**
 * How loud the page is: `danger` (red) tells a buyer not to buy and to alert the authority —
 * a forged or unknown code, high or critical risk, a seized lot or consignment, a lot already
 * exported or consumed or a consignment already delivered whose code turns up again; `caution` (light yellow, dark text) asks for papers first —
 * low or medium risk; `ok` (green) — genuine and clean.
 */
type Tone = 'danger' | 'caution' | 'ok';

interface Verdict {
  tone: Tone;
  headline: string;
  body: string;
}

const fill = (text: string, params: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (m, k: string) => params[k] ?? m);

function verdictOf(r: PublicVerification, lang: WordLang, who: string): Verdict {
  const w = (key: PageKey, params: Record<string, string> = {}) =>
    fill(pageWords[lang][key], { who, ...params });
  if (!r.genuine) {
    return r.refusal === 'unknown'
      ? { tone: 'danger', headline: w('unknown'), body: w('unknownBody') }
      : { tone: 'danger', headline: w('forged'), body: w('forgedBody') };
  }
  const isLot = r.kind !== 'movement';
  const risk = r.riskLevel ?? (r.flagged ? 'medium' : 'none');
  const riskWord = wordFor(severityWords[lang], risk);
  const input = wordFor(inputWords[lang], r.input ?? '');
  if (r.status === 'seized') {
    return { tone: 'danger', headline: w(isLot ? 'seizedLot' : 'seizedMovement'), body: w('seizedBody') };
  }
  if (risk === 'high' || risk === 'critical') {
    return isLot
      ? { tone: 'danger', headline: w('dangerRiskLot'), body: w('dangerRiskLotBody', { risk: riskWord }) }
      : {
          tone: 'danger',
          headline: w('dangerRiskMovement'),
          body: w('dangerRiskMovementBody', { risk: riskWord, input }),
        };
  }
  if (isLot && (r.status === 'exported' || r.status === 'consumed')) {
    return {
      tone: 'danger',
      headline: w('spentLot'),
      body:
        r.status === 'consumed'
          ? w('consumedLotBody')
          : w('spentLotBody', { status: wordFor(lotStatusWords[lang], r.status) }),
    };
  }
  // A consignment's code met again after delivery: one waybill carrying a second load.
  if (!isLot && r.status === 'delivered') {
    return { tone: 'danger', headline: w('spentMovement'), body: w('spentMovementBody', { input }) };
  }
  if (risk === 'low' || risk === 'medium') {
    return isLot
      ? { tone: 'caution', headline: w('cautionLot', { risk: riskWord }), body: w('cautionLotBody') }
      : {
          tone: 'caution',
          headline: w('cautionMovement', { risk: riskWord }),
          body: w('cautionMovementBody'),
        };
  }
  return {
    tone: 'ok',
    headline: w(isLot ? 'okLot' : 'okMovement'),
    body: w('okBody', { code: r.code ?? '' }),
  };
}

/**
 * The public page for people: the verdict first, in words that say what to do; then the code's
 * public facts, every value worded in the page's language. No script; styles inline (the HTML
 * policy of http/security-headers.ts). Colours meet WCAG's enhanced 7:1 contrast: it is read
 * outdoors, on a phone.
 */
export function renderVerification(
  r: PublicVerification,
  opts: { lang: WordLang; contact?: string | undefined; keep?: string | undefined },
) {
  const { lang } = opts;
  const t = pageWords[lang];
  const v = verdictOf(r, lang, opts.contact ?? t.authorityGeneric);
  const title = !r.genuine ? t.titleCode : r.kind === 'movement' ? t.titleMovement : t.titleLot;
  const status =
    r.status === undefined
      ? undefined
      : r.kind === 'movement'
        ? wordFor(movementStatusWords[lang], r.status)
        : wordFor(lotStatusWords[lang], r.status);
  // A Digital Link keeps its signature (`keep`, already a query string's `key=value&`) when the language changes.
  const keep = opts.keep ?? '';
  const langLink = (l: WordLang, label: string) =>
    l === lang
      ? html`<a href="?${keep}lang=${l}" lang="${l}" aria-current="page">${label}</a>`
      : html`<a href="?${keep}lang=${l}" lang="${l}" hreflang="${l}">${label}</a>`;
  return html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${v.headline} — orotrace</title>
<link rel="icon" href="data:,">
<style>
*{box-sizing:border-box}
body{font:17px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff;overflow-wrap:anywhere}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.6rem 1rem;background:#f4f1ea;border-bottom:1px solid #d6cfbf}
header p{margin:0;font-weight:600}
nav ul{display:flex;gap:.75rem;list-style:none;margin:0;padding:0}
a{color:#0a3d7a}
nav a{display:inline-block;padding:.35rem .5rem;min-height:44px;line-height:1.9}
nav a[aria-current]{font-weight:700;text-decoration:none;border-bottom:3px solid #0a3d7a}
main{padding:1rem;max-width:36rem;margin:0 auto}
h1{font-size:1.25rem;margin:.25rem 0 1rem}
.verdict{border-radius:8px;padding:1rem;margin:0 0 1.25rem}
.verdict h2{margin:0 0 .5rem;font-size:1.6rem;line-height:1.2}
.verdict p{margin:.4rem 0 0}
.danger{background:#7a1414;color:#fff}
.danger a{color:#fff}
.caution{background:#fff4d6;color:#3d2e00;border:3px solid #3d2e00}
.ok{background:#17542f;color:#fff}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}dd{margin:0}
h2.facts{font-size:1.1rem;margin:1.25rem 0 .5rem}
footer{padding:1rem;max-width:36rem;margin:0 auto;font-size:.95rem;color:#333}
</style></head>
<body>
<header><p>${t.brand}</p>
<nav aria-label="${t.languageNav}"><ul><li>${langLink('es', 'Español')}</li><li>${langLink('en', 'English')}</li></ul></nav>
</header>
<main>
<h1>${title}</h1>
<section class="verdict ${v.tone}" aria-labelledby="verdict">
<h2 id="verdict">${v.headline}</h2>
<p>${v.body}</p>
${v.tone === 'danger' ? html`<p>${t.keepPhoto}</p>` : ''}
</section>
${
  r.genuine
    ? html`<h2 class="facts">${t.facts}</h2>
<dl>
<dt>${t.code}</dt><dd>${r.code ?? '—'}</dd>
<dt>${t.kind}</dt><dd>${wordFor(subjectTypeWords[lang], r.kind ?? 'lot')}</dd>
${r.form ? html`<dt>${t.form}</dt><dd>${wordFor(formWords[lang], r.form)}</dd>` : ''}
${r.input ? html`<dt>${t.input}</dt><dd>${wordFor(inputWords[lang], r.input)}</dd>` : ''}
${status ? html`<dt>${t.status}</dt><dd>${status}</dd>` : ''}
<dt>${t.risk}</dt><dd>${wordFor(severityWords[lang], r.riskLevel ?? 'none')}</dd>
<dt>${t.flags}</dt><dd>${r.flagged ? t.flagsOpen : t.flagsNone}</dd>
</dl>`
    : lang === 'en' && r.reason
      ? html`<p>${t.technical}: ${r.reason}.</p>`
      : ''
}
</main>
<footer>
<p>${t.noPersonalData}</p>
<p>${t.verifiedWith} <a href="/.well-known/jwks.json" lang="en">/.well-known/jwks.json</a></p>
</footer>
</body></html>`;
}
