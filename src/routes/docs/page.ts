import { html, raw } from 'hono/html';
import { type CurlOperation, curlCommand, type Schema } from './curl.js';

/**
 * The human docs page, rendered on the server from the same OpenAPI document that /openapi.json
 * serves: no script, stylesheet or font from any network, so it works offline and on Workers.
 * One column on a phone (the operations' index folds into a list of tags), a sticky index beside
 * the content on a wide screen; long paths wrap, code scrolls sideways inside its own box; every
 * colour pair reaches 7:1.
 */
interface Operation extends CurlOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
}
interface Document {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];
const anchor = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-');
const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/**
 * A parameter's schema as a reader takes it in at a glance ("integer, 1 to 500, default 50";
 * "one of: severity, age, recent"): a table of raw JSON Schema was unreadable on a phone.
 */
function typeOf(s: Schema | undefined): string {
  if (!s) return '';
  if (s.$ref) return s.$ref.split('/').pop() ?? '';
  const parts: string[] = [];
  if (s.enum) parts.push(`one of: ${s.enum.map(String).join(', ')}`);
  else if (s.const !== undefined) parts.push(`always ${String(s.const)}`);
  else {
    const type = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
    parts.push(s.format ? `${type} (${s.format})` : type);
    if (s.minimum !== undefined && s.maximum !== undefined) parts.push(`${s.minimum} to ${s.maximum}`);
    else if (s.minimum !== undefined) parts.push(`at least ${s.minimum}`);
    else if (s.maximum !== undefined) parts.push(`at most ${s.maximum}`);
    if (s.maxLength !== undefined) parts.push(`up to ${s.maxLength} characters`);
    if (s.pattern) parts.push(`matching ${s.pattern}`);
  }
  if (s.default !== undefined) parts.push(`default ${String(s.default)}`);
  return parts.join(', ');
}

const style = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#fff;overflow-wrap:break-word}
a{color:#0a3d7a}
header{padding:.75rem 1rem;background:#f4f1ea;border-bottom:1px solid #d6cfbf}
header p{margin:0}
.skip{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.skip:focus{position:static;width:auto;height:auto;clip-path:none}
.layout{display:block}
nav{padding:.5rem 1rem;background:#f4f1ea;border-bottom:1px solid #d6cfbf}
nav details{margin:.15rem 0}
nav summary{cursor:pointer;padding:.35rem 0;font-weight:600}
nav ul{list-style:none;margin:0 0 .5rem;padding:0 0 0 .75rem}
nav li a{display:block;padding:.3rem 0;font-size:14px;overflow-wrap:anywhere}
main{padding:1rem;min-width:0;max-width:70rem}
h1{font-size:1.6rem;margin:.25rem 0 .75rem}
h2{border-bottom:2px solid #5c3b00;margin-top:2rem}
h3{font-size:1.05rem;margin:0 0 .4rem;overflow-wrap:anywhere}
code,pre{font-family:ui-monospace,monospace;font-size:13px}
code{overflow-wrap:anywhere;background:#f6f6f6;padding:0 .2em;border-radius:3px}
pre{background:#f6f6f6;border:1px solid #d0d0d0;padding:.6rem;overflow:auto;max-height:26rem;white-space:pre;max-width:100%}
pre code{background:none;padding:0;overflow-wrap:normal}
.op{border:1px solid #d0d0d0;border-radius:6px;margin:1rem 0;padding:.75rem}
.m{display:inline-block;font-weight:700;text-transform:uppercase;padding:0 .4rem;border-radius:4px;color:#fff;font-size:13px;margin-right:.35rem}
.get{background:#17542f}.post{background:#5c3b00}.put,.patch{background:#1f3f7a}.delete{background:#7a1414}
.scroll{overflow-x:auto;max-width:100%}
h4{font-size:1rem;margin:.75rem 0 .25rem}
.params{list-style:none;margin:0;padding:0}
.params li{border-top:1px solid #d0d0d0;padding:.35rem 0;font-size:14px}
.params .where{color:#3d3d3d}
.params .type{font-family:ui-monospace,monospace;font-size:13px;overflow-wrap:anywhere}
details.schema summary{cursor:pointer}
@media (min-width:60rem){
  .layout{display:flex;align-items:flex-start}
  nav{width:18rem;flex:none;position:sticky;top:0;max-height:100vh;overflow:auto;border-bottom:0;border-right:1px solid #d6cfbf}
  main{padding:1rem 2rem}
}`;

/** How to get a token: the embedded default's CLI, and an identity provider in production. */
const tokenSection = (baseUrl: string) => html`<section aria-labelledby="tokens">
<h2 id="tokens">Getting a token</h2>
<p>Every <code>/v1</code> operation but the public ones takes <code>Authorization: Bearer &lt;token&gt;</code>:
a JWT whose claims say who is calling — <code>role</code> (<code>checkpoint</code>, <code>exporter</code>,
<code>regulator</code> or <code>admin</code>), <code>actor</code> for exporters (the actor they act for),
<code>checkpoint</code> for checkpoint staff (their post), and <code>sub</code>, <code>iss</code>, <code>aud</code>,
<code>exp</code>. Tokens live at most <code>TOKEN_MAX_LIFETIME</code> (a day by default).</p>
<h3>Embedded default (npm start)</h3>
<p>The server made a local key pair in <code>DATA_DIR</code> on its first start; the token CLI signs with it and prints
the bare token alone on standard output (run it in the server's folder, with the same <code>DATA_DIR</code>):</p>
<pre tabindex="0" aria-label="Minting tokens with the CLI"><code>npm run --silent token -- --role checkpoint|exporter|regulator|admin [--actor ID] [--checkpoint ID] [--ttl 1h] [--sub S]

# a regulator, for an hour
export TOKEN=$(npm run --silent token -- --role regulator)
# an exporter acting for one actor (its id from GET /v1/actors)
export TOKEN=$(npm run --silent token -- --role exporter --actor 01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f --ttl 8h)
# checkpoint staff at one post (its id from GET /v1/checkpoints)
export TOKEN=$(npm run --silent token -- --role checkpoint --checkpoint 01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f)

curl -H "Authorization: Bearer $TOKEN" ${baseUrl}/v1/flags</code></pre>
<p><code>--silent</code> keeps npm's own banner out of the captured token.</p>
<h3>Production</h3>
<p>Your identity provider issues the tokens (sign in there, or use its client-credentials grant for a
script); the server only verifies them, against the provider's public key set: set <code>JWKS_URL</code> to its JWKS
address (or <code>JWT_PUBLIC_JWKS</code> to the key set itself), or set only <code>JWT_ISSUER</code> to the provider's URL and
the keys are found by OpenID Connect discovery. <code>JWT_ISSUER</code> and <code>JWT_AUDIENCE</code> are the <code>iss</code> and
<code>aud</code> it writes. The role, actor and checkpoint are read from the claims <code>JWT_ROLE_CLAIM</code>,
<code>JWT_ACTOR_CLAIM</code> and <code>JWT_CHECKPOINT_CLAIM</code> name (a claim, or a JSON Pointer such as
<code>/realm_access/roles</code>), the provider's role names mapped to ours by <code>JWT_ROLE_MAP</code>; a token without them is
refused with 401. The CLI is not used there.</p>
</section>`;

export function renderDocs(doc: Document, baseUrl: string) {
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of methods) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  }
  const schemas = doc.components?.schemas ?? {};
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} — API docs</title>
<link rel="icon" href="data:,">
<style>${raw(style)}</style>
</head>
<body>
<header><p><a class="skip" href="#content">Skip to the content</a> <strong>${doc.info.title} ${doc.info.version}</strong> · <a href="/openapi.json">openapi.json</a> · <a href="#tokens">Getting a token</a></p></header>
<div class="layout">
<nav aria-label="Operations">
${[...byTag.entries()].map(
  ([tag, ops]) =>
    html`<details><summary>${tag} (${ops.length})</summary><ul>${ops.map(
      (o) => html`<li><a href="#${anchor(o.method + o.path)}">${o.method.toUpperCase()} ${o.path}</a></li>`,
    )}</ul></details>`,
)}
<details><summary>Schemas (${Object.keys(schemas).length})</summary><ul>
${Object.keys(schemas).map((name) => html`<li><a href="#schema-${anchor(name)}">${name}</a></li>`)}
</ul></details>
</nav>
<main id="content">
<h1>${doc.info.title}</h1>
<p>${doc.info.description ?? ''}</p>
<p>JSON in and out. Errors are RFC 9457 <code>application/problem+json</code> with a stable <code>type</code>.
Lists take <code>cursor</code> and <code>limit</code>. Each operation below has a curl example: set
<code>TOKEN</code> first (next section).</p>
${tokenSection(baseUrl)}
${[...byTag.entries()].map(
  ([tag, ops]) =>
    html`<h2>${tag}</h2>${ops.map(({ method, path, op }) => {
      const id = anchor(method + path);
      const body = op.requestBody?.content?.['application/json']?.schema;
      return html`<section class="op" id="${id}">
<h3 id="${id}-title"><span class="m ${method}">${method}</span><code>${path}</code></h3>
${op.summary ? html`<p>${op.summary}</p>` : ''}
${op.description ? html`<p>${op.description}</p>` : ''}
${
  op.parameters?.length
    ? html`<h4 id="${id}-params">Parameters</h4><ul class="params" aria-labelledby="${id}-params">
${op.parameters.map(
  (p) =>
    html`<li><code>${p.name}</code> <span class="where">${p.in}, ${p.required ? 'required' : 'optional'}</span> <span class="type">${typeOf(p.schema)}</span>${
      (p.description ?? p.schema?.description) ? html`<br>${p.description ?? p.schema?.description}` : ''
    }</li>`,
)}</ul>`
    : ''
}
${body ? html`<details class="schema"><summary>Request body schema (application/json)</summary><pre tabindex="0" aria-label="Request body schema of ${method.toUpperCase()} ${path}"><code>${pretty(body)}</code></pre></details>` : ''}
<p>Example:</p>
<pre tabindex="0" aria-label="curl example of ${method.toUpperCase()} ${path}"><code>${curlCommand(method, path, op, schemas, baseUrl)}</code></pre>
<p>Responses: ${Object.entries(op.responses ?? {}).map(([code, r]) => html`<code>${code}</code> ${r.description ?? ''}; `)}</p>
</section>`;
    })}`,
)}
<h2>Schemas</h2>
${Object.entries(schemas).map(
  ([name, s]) =>
    html`<section id="schema-${anchor(name)}"><h3 id="schema-${anchor(name)}-title">${name}</h3><pre tabindex="0" aria-label="Schema ${name}"><code>${pretty(s)}</code></pre></section>`,
)}
</main>
</div>
</body>
</html>`;
}
