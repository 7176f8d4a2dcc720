import { html, raw } from 'hono/html';
import type { Lot } from '../../domain/lots/lots.js';

// The label is read by eye at a checkpoint in Peru: Spanish words and es-PE numbers, never the
// API's codes ("dore", "active") nor trailing zeros that make "500.000 g" read as half a tonne.
const formWords: Record<Lot['form'], string> = {
  dore: 'doré',
  nugget: 'pepita',
  amalgam: 'amalgama',
  sponge: 'esponja',
  granules: 'granallas',
  bar: 'barra',
  recycled: 'reciclado',
};
const statusWords: Record<Lot['status'], string> = {
  active: 'activo',
  consumed: 'consumido',
  exported: 'exportado',
  seized: 'incautado',
};
const number = (d: string, unit: string) =>
  `${Number(d).toLocaleString('es-PE', { maximumFractionDigits: 3 })}\u00a0${unit}`;

/** A printable label (about 90 × 50 mm): what a person checks by eye, and the QR a checkpoint scans. */
export function renderLabel(lot: Lot, qrSvg: string) {
  return html`<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<title>${lot.code}</title>
<style>
@page { size: 90mm 50mm; margin: 3mm }
body { font: 11pt/1.3 system-ui, sans-serif; margin: 0 }
.label { display: flex; gap: 4mm; width: 84mm; height: 44mm; border: 0.3mm solid #000; padding: 2mm; box-sizing: border-box }
.qr { width: 40mm; height: 40mm; flex: none }
.qr svg { width: 100%; height: 100% }
h1 { font-size: 14pt; margin: 0 0 1mm; font-family: ui-monospace, monospace }
dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 0 2mm; font-size: 9pt }
dt { font-weight: 600 }
dd { margin: 0 }
.status { font-weight: 700; text-transform: uppercase }
</style>
</head>
<body>
<div class="label">
  <div class="qr">${raw(qrSvg)}</div>
  <div>
    <h1>${lot.code}</h1>
    <dl>
      <dt>Peso bruto</dt><dd>${number(lot.grossWeightG, 'g')}</dd>
      <dt>Ley</dt><dd>${number(lot.fineness, '‰')}</dd>
      <dt>Oro fino</dt><dd>${number(lot.fineWeightG, 'g')}</dd>
      <dt>Forma</dt><dd>${formWords[lot.form] ?? lot.form}</dd>
      <dt>Extracción</dt><dd>${lot.extractedOn ?? '—'}</dd>
      <dt>Estado</dt><dd class="status">${statusWords[lot.status] ?? lot.status}</dd>
    </dl>
  </div>
</div>
</body>
</html>`;
}
