import { html } from 'hono/html';

/**
 * The human docs page, rendered on the server from the same OpenAPI document that /openapi.json
 * serves: no script, stylesheet or font from any network, so it works offline and on Workers.
 */
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}
interface Document {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];
const anchor = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-');
const pretty = (v: unknown) => JSON.stringify(v, null, 2);

export function renderDocs(doc: Document) {
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of methods) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  }
  const schemas = Object.entries(doc.components?.schemas ?? {});
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} — API docs</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#1d2330}
nav{width:260px;padding:1rem;background:#f4f1e8;height:100vh;overflow:auto;position:sticky;top:0;flex:none}
nav a{display:block;color:#5a4a12;text-decoration:none;font-size:13px;padding:1px 0}
main{padding:1rem 2rem;max-width:1000px;overflow:auto}
.op{border:1px solid #ddd;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
.m{font-weight:700;text-transform:uppercase;padding:1px 6px;border-radius:4px;color:#fff;font-size:12px}
.get{background:#2b7a4b}.post{background:#b5830f}.put,.patch{background:#3a5fa8}.delete{background:#a83a3a}
code,pre{font-family:ui-monospace,monospace;font-size:12.5px}pre{background:#f7f7f7;padding:.5rem;overflow:auto;max-height:24rem}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left;font-size:13px}
h2{border-bottom:2px solid #c9a227}
</style>
</head>
<body>
<nav>
<strong>${doc.info.title} ${doc.info.version}</strong>
<a href="/openapi.json">openapi.json</a>
${[...byTag.entries()].map(
  ([tag, ops]) =>
    html`<p><b>${tag}</b></p>${ops.map(
      (o) => html`<a href="#${anchor(o.method + o.path)}">${o.method.toUpperCase()} ${o.path}</a>`,
    )}`,
)}
<p><b>Schemas</b></p>
${schemas.map(([name]) => html`<a href="#schema-${anchor(name)}">${name}</a>`)}
</nav>
<main>
<h1>${doc.info.title}</h1>
<p>${doc.info.description ?? ''}</p>
<p>Authenticate with <code>Authorization: Bearer &lt;token&gt;</code>. Errors are RFC 9457
<code>application/problem+json</code>. Lists take <code>cursor</code> and <code>limit</code>.</p>
${[...byTag.entries()].map(
  ([tag, ops]) =>
    html`<h2>${tag}</h2>${ops.map(({ method, path, op }) => {
      const body = op.requestBody?.content?.['application/json']?.schema;
      return html`<section class="op" id="${anchor(method + path)}">
<p><span class="m ${method}">${method}</span> <code>${path}</code> — ${op.summary ?? ''}</p>
${op.description ? html`<p>${op.description}</p>` : ''}
${
  op.parameters?.length
    ? html`<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>
${op.parameters.map(
  (p) =>
    html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td><code>${JSON.stringify(p.schema ?? {})}</code></td><td>${p.description ?? ''}</td></tr>`,
)}</table>`
    : ''
}
${body ? html`<p>Request body (application/json):</p><pre>${pretty(body)}</pre>` : ''}
<p>Responses: ${Object.entries(op.responses ?? {}).map(([code, r]) => html`<code>${code}</code> ${r.description ?? ''}; `)}</p>
</section>`;
    })}`,
)}
<h2>Schemas</h2>
${schemas.map(([name, s]) => html`<section id="schema-${anchor(name)}"><h3>${name}</h3><pre>${pretty(s)}</pre></section>`)}
</main>
</body>
</html>`;
}
