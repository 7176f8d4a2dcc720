/**
 * What the public /v/ page says, in Spanish (the default: buyers in Madre de Dios) and English.
 * Plain words for someone holding gold and a phone: what the code is, and what to do now.
 */
import type { WordLang } from '../../domain/shared/words.js';

export type PageKey =
  | 'brand'
  | 'languageNav'
  | 'titleLot'
  | 'titleMovement'
  | 'titleCode'
  | 'dangerRiskLot'
  | 'dangerRiskLotBody'
  | 'dangerRiskMovement'
  | 'dangerRiskMovementBody'
  | 'seizedLot'
  | 'seizedMovement'
  | 'seizedBody'
  | 'spentLot'
  | 'spentLotBody'
  | 'consumedLotBody'
  | 'spentMovement'
  | 'spentMovementBody'
  | 'cautionLot'
  | 'cautionLotBody'
  | 'cautionMovement'
  | 'cautionMovementBody'
  | 'okLot'
  | 'okMovement'
  | 'okBody'
  | 'forged'
  | 'forgedBody'
  | 'unknown'
  | 'unknownBody'
  | 'keepPhoto'
  | 'authorityGeneric'
  | 'facts'
  | 'code'
  | 'kind'
  | 'form'
  | 'input'
  | 'status'
  | 'risk'
  | 'flags'
  | 'flagsOpen'
  | 'flagsNone'
  | 'technical'
  | 'verifiedWith'
  | 'noPersonalData';

export const pageWords: Record<WordLang, Record<PageKey, string>> = {
  es: {
    brand: 'orotrace · Verificación pública',
    languageNav: 'Idioma',
    titleLot: 'Verificación de un lote de oro',
    titleMovement: 'Verificación de un envío de insumos',
    titleCode: 'Verificación de un código QR',
    dangerRiskLot: 'No compre este oro',
    dangerRiskLotBody:
      'Este lote tiene alertas de riesgo {risk} sin resolver. Retenga la carga y avise a la autoridad: {who}.',
    dangerRiskMovement: 'No reciba este envío',
    dangerRiskMovementBody:
      'Este envío de {input} tiene alertas de riesgo {risk} sin resolver. Retenga la carga y avise a la autoridad: {who}.',
    seizedLot: 'No compre este oro: el lote está incautado',
    seizedMovement: 'No reciba este envío: está incautado',
    seizedBody: 'La autoridad incautó esta carga. Retenga la carga y avise a la autoridad: {who}.',
    spentLot: 'No compre este oro: este código ya no circula',
    spentLotBody:
      'Este lote ya fue {status}. Un código así no debería estar en venta: puede ser una etiqueta copiada. Retenga la carga y avise a la autoridad: {who}.',
    consumedLotBody:
      'Este lote ya se dividió, fundió o refinó en otros lotes, que tienen sus propios códigos. Un código así no debería estar en venta: puede ser una etiqueta copiada. Retenga la carga y avise a la autoridad: {who}.',
    spentMovement: 'No reciba este envío: ya fue entregado',
    spentMovementBody:
      'Este envío de {input} ya fue entregado a su destinatario. Si esta carga está viajando o se la ofrecen ahora, su código puede ser una guía reutilizada: no la reciba, retenga la carga y avise a la autoridad: {who}.',
    cautionLot: 'Código auténtico, con alertas de riesgo {risk}',
    cautionLotBody:
      'Antes de comprar, pida al vendedor los documentos de origen (concesión e inscripción en el REINFO) y compare el código impreso en la etiqueta con el de esta página. Si tiene dudas, consulte a la autoridad: {who}.',
    cautionMovement: 'Código auténtico, con alertas de riesgo {risk}',
    cautionMovementBody:
      'Antes de recibir la carga, pida la autorización de bienes fiscalizados y compare el código impreso en la etiqueta con el de esta página. Si tiene dudas, consulte a la autoridad: {who}.',
    okLot: 'Código auténtico: lote sin alertas',
    okMovement: 'Código auténtico: envío sin alertas',
    okBody:
      'Compare el código impreso en la etiqueta con el de esta página ({code}): deben ser iguales. Esta página confirma el código, no la carga que tiene delante: compare también la forma y el estado, y pida comprobante de la compra.',
    forged: 'Código falso o alterado',
    forgedBody:
      'Este código QR no fue emitido por orotrace o fue modificado después: su firma no es válida. No compre ni reciba esta carga. Retenga la carga si puede hacerlo sin riesgo y avise a la autoridad: {who}.',
    unknown: 'Código desconocido',
    unknownBody:
      'El registro no tiene la carga que nombra este código. No compre ni reciba esta carga. Retenga la carga si puede hacerlo sin riesgo y avise a la autoridad: {who}.',
    keepPhoto: 'Guarde una foto de la etiqueta: la autoridad la necesitará.',
    authorityGeneric: 'la Policía Nacional o la Fiscalía más cercana',
    facts: 'Datos públicos del código',
    code: 'Código',
    kind: 'Tipo',
    form: 'Forma',
    input: 'Insumo',
    status: 'Estado',
    risk: 'Riesgo',
    flags: 'Alertas',
    flagsOpen: 'Sí, alertas de riesgo sin resolver',
    flagsNone: 'Ninguna sin resolver',
    technical: 'Detalle técnico',
    verifiedWith: 'Verificado con la clave pública del registro:',
    noPersonalData:
      'Esta página no muestra datos personales ni comerciales (pesos, dueños, lugares, precios).',
  },
  en: {
    brand: 'orotrace · Public verification',
    languageNav: 'Language',
    titleLot: 'Verification of a gold lot',
    titleMovement: 'Verification of an input consignment',
    titleCode: 'Verification of a QR code',
    dangerRiskLot: 'Do not buy this gold',
    dangerRiskLotBody:
      'This lot has unresolved {risk} risk flags. Hold the load and alert the authority: {who}.',
    dangerRiskMovement: 'Do not accept this consignment',
    dangerRiskMovementBody:
      'This consignment of {input} has unresolved {risk} risk flags. Hold the load and alert the authority: {who}.',
    seizedLot: 'Do not buy this gold: the lot is seized',
    seizedMovement: 'Do not accept this consignment: it is seized',
    seizedBody: 'The authority seized this load. Hold the load and alert the authority: {who}.',
    spentLot: 'Do not buy this gold: this code is no longer in circulation',
    spentLotBody:
      'This lot was already {status}. Such a code should not be on sale: it may be a copied label. Hold the load and alert the authority: {who}.',
    consumedLotBody:
      'This lot was already split, merged or refined into other lots, which carry their own codes. Such a code should not be on sale: it may be a copied label. Hold the load and alert the authority: {who}.',
    spentMovement: 'Do not accept this consignment: it was already delivered',
    spentMovementBody:
      'This consignment of {input} was already delivered to its consignee. If this load is travelling or being offered to you now, its code may be a re-used waybill: do not accept it, hold the load and alert the authority: {who}.',
    cautionLot: 'Genuine code, with {risk} risk flags',
    cautionLotBody:
      'Before buying, ask the seller for the origin documents (concession and REINFO registration) and compare the code printed on the label with the one on this page. If in doubt, ask the authority: {who}.',
    cautionMovement: 'Genuine code, with {risk} risk flags',
    cautionMovementBody:
      'Before accepting the load, ask for the controlled-inputs authorization and compare the code printed on the label with the one on this page. If in doubt, ask the authority: {who}.',
    okLot: 'Genuine code: lot without flags',
    okMovement: 'Genuine code: consignment without flags',
    okBody:
      'Compare the code printed on the label with the one on this page ({code}): they must match. This page confirms the code, not the load in front of you: compare the form and status too, and ask for a receipt of the purchase.',
    forged: 'Forged or altered code',
    forgedBody:
      'This QR code was not issued by orotrace or was changed afterwards: its signature is not valid. Do not buy or accept this load. Hold the load if you can do so safely and alert the authority: {who}.',
    unknown: 'Unknown code',
    unknownBody:
      'The ledger does not hold the load this code names. Do not buy or accept this load. Hold the load if you can do so safely and alert the authority: {who}.',
    keepPhoto: 'Keep a photo of the label: the authority will need it.',
    authorityGeneric: 'the National Police or the nearest public prosecutor’s office',
    facts: 'Public facts of the code',
    code: 'Code',
    kind: 'Kind',
    form: 'Form',
    input: 'Input',
    status: 'Status',
    risk: 'Risk',
    flags: 'Flags',
    flagsOpen: 'Yes, unresolved risk flags',
    flagsNone: 'None unresolved',
    technical: 'Technical detail',
    verifiedWith: 'Verified with the ledger’s public key:',
    noPersonalData: 'This page shows no personal or commercial data (weights, owners, places, prices).',
  },
};

/**
 * The page's language: `?lang=` when it names one, else the first of Accept-Language (by its
 * q-values) that is Spanish or English, else Spanish.
 */
export function pageLanguage(query: string | undefined, acceptLanguage: string | undefined): WordLang {
  if (query === 'es' || query === 'en') return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const found = ranked.find((x) => x.primary === 'es' || x.primary === 'en');
  return found?.primary === 'en' ? 'en' : 'es';
}
