/** What the exporter desk says, in Spanish (the default) and English. */
import type { Dict } from '../shared/i18n.js';

type Key =
  | 'carriesFlags'
  | 'checking'
  | 'custodianMe'
  | 'relatedHolder'
  | 'exportAnyway'
  | 'holder'
  | 'mergeAnyway'
  | 'noSuchScreen'
  | 'nothingToFlag'
  | 'operations'
  | 'permanentExport'
  | 'permanentMerge'
  | 'permanentRefine'
  | 'permanentRegister'
  | 'permanentSplit'
  | 'permanentTransfer'
  | 'producerSearch'
  | 'recipient'
  | 'refineAnyway'
  | 'registerAnyway'
  | 'roleHolder'
  | 'roleOperator'
  | 'splitAnyway'
  | 'transferAnyway'
  | 'wouldFlag'
  | 'wouldFlagTitle'
  | 'allStatuses'
  | 'back'
  | 'backToLots'
  | 'cancel'
  | 'chooseConcession'
  | 'clearSelection'
  | 'close'
  | 'code'
  | 'concession'
  | 'confirmExport'
  | 'confirmMerge'
  | 'confirmRefine'
  | 'confirmRegister'
  | 'confirmSplit'
  | 'confirmTransfer'
  | 'countryHelp'
  | 'custodian'
  | 'customsDeclaration'
  | 'decimalHint'
  | 'ambiguousAmount'
  | 'destinationCountry'
  | 'equalParts'
  | 'export'
  | 'exportDone'
  | 'exportTitle'
  | 'exportedOn'
  | 'extractedOn'
  | 'fine'
  | 'fineIn'
  | 'fineOut'
  | 'fineness'
  | 'finenessPermille'
  | 'flaggedOnly'
  | 'flags'
  | 'flagsRaised'
  | 'form'
  | 'formAuto'
  | 'gross'
  | 'grossG'
  | 'inherited'
  | 'labelTitle'
  | 'latitude'
  | 'loading'
  | 'longitude'
  | 'loss'
  | 'lot'
  | 'lotItself'
  | 'lotsCaption'
  | 'mapHelp'
  | 'mapLabel'
  | 'mergeArithmetic'
  | 'mergeDone'
  | 'mergeSelected'
  | 'mergeTitle'
  | 'mergedLot'
  | 'more'
  | 'myLots'
  | 'needConcession'
  | 'needDate'
  | 'needFineness'
  | 'needGross'
  | 'needOrigin'
  | 'needProducer'
  | 'newForm'
  | 'noActor'
  | 'noFlags'
  | 'noLots'
  | 'notInCustody'
  | 'openLabelWindow'
  | 'openLot'
  | 'origin'
  | 'originMixed'
  | 'part'
  | 'partGross'
  | 'partN'
  | 'partsCount'
  | 'partsTotal'
  | 'print'
  | 'printLabel'
  | 'producer'
  | 'producerHolder'
  | 'producerMe'
  | 'producerOperator'
  | 'producerOther'
  | 'qrAlt'
  | 'qrCaption'
  | 'refine'
  | 'refineCreatesGold'
  | 'refineDone'
  | 'refineTitle'
  | 'registerAnother'
  | 'registerLot'
  | 'registered'
  | 'registeredFine'
  | 'remainder'
  | 'resultFlagged'
  | 'retry'
  | 'review'
  | 'reviewHelp'
  | 'risk'
  | 'searchCode'
  | 'sections'
  | 'select'
  | 'selectLot'
  | 'selectedCount'
  | 'sending'
  | 'split'
  | 'splitArithmetic'
  | 'splitCreatesGold'
  | 'splitDone'
  | 'splitHelp'
  | 'splitTitle'
  | 'status'
  | 'transfer'
  | 'transferDone'
  | 'transferReview'
  | 'transferTitle'
  | 'provenance'
  | 'noProvenance'
  | 'relation'
  | 'ancestor'
  | 'descendant'
  | 'op_split'
  | 'op_merge'
  | 'op_refine'
  | 'downloadEpcis';

export const dict: Dict<Key> = {
  es: {
    carriesFlags: 'El lote tiene alertas abiertas, que pasan a todo lo que se haga con él:',
    checking: 'Consultando al servidor qué alertas levantaría esta operación…',
    custodianMe: 'Mi empresa (esta cuenta)',
    relatedHolder: 'Custodio',
    exportAnyway: 'Exportar de todos modos',
    holder: 'Titular de la concesión',
    mergeAnyway: 'Fusionar de todos modos',
    noSuchScreen: 'Esta dirección no corresponde a ninguna pantalla de la mesa.',
    nothingToFlag: 'El control del sistema no levantaría ninguna alerta.',
    operations: 'Operaciones del lote',
    permanentExport: 'Al confirmar, el lote queda exportado para siempre: no podrá operarse más.',
    permanentMerge:
      'Al confirmar, los lotes se consumen en uno nuevo para siempre: la fusión no se puede deshacer.',
    permanentRefine:
      'Al confirmar, el lote se consume y el refinado queda registrado para siempre: no se puede deshacer.',
    permanentRegister:
      'Al confirmar, el lote queda registrado en el libro para siempre: no se puede borrar ni corregir.',
    permanentSplit:
      'Al confirmar, el lote se consume y sus partes quedan registradas para siempre: la división no se puede deshacer.',
    permanentTransfer:
      'Al confirmar, la custodia pasa al destinatario y queda en el libro para siempre: solo él podrá devolver el lote.',
    producerSearch: 'Buscar al productor',
    recipient: 'Destinatario (actor registrado)',
    refineAnyway: 'Refinar de todos modos',
    registerAnyway: 'Registrar de todos modos',
    roleHolder: 'titular de la concesión',
    roleOperator: 'operador autorizado',
    splitAnyway: 'Dividir de todos modos',
    transferAnyway: 'Transferir de todos modos',
    wouldFlag: 'El control del sistema levantaría estas alertas:',
    wouldFlagTitle: 'Atención: esta operación quedaría con alertas.',
    allStatuses: 'Todos',
    back: 'Volver a editar',
    backToLots: 'Volver a mis lotes',
    cancel: 'Cancelar',
    chooseConcession: 'Elija una concesión…',
    clearSelection: 'Quitar selección',
    close: 'Cerrar',
    code: 'Código',
    concession: 'Concesión declarada',
    confirmExport: 'Confirmar exportación',
    confirmMerge: 'Confirmar fusión',
    confirmRefine: 'Confirmar refinación',
    confirmRegister: 'Confirmar registro',
    confirmSplit: 'Confirmar división',
    confirmTransfer: 'Confirmar transferencia',
    countryHelp: 'Código ISO de dos letras: CH (Suiza), AE (Emiratos), IN (India), US…',
    custodian: 'Custodio actual',
    customsDeclaration: 'Declaración aduanera (DAM)',
    decimalHint: 'Puede usar coma o punto decimal, con hasta tres decimales (por ejemplo 1250,5).',
    ambiguousAmount:
      '{field}: «{text}» puede leerse como {whole} o como {decimal}. Escríbalo sin separador de miles ({whole}) o con sus decimales ({decimal}).',
    destinationCountry: 'País de destino',
    equalParts: 'Partes iguales',
    export: 'Exportar',
    exportDone: 'Lote {code} exportado.',
    exportTitle: 'Exportar el lote {code}',
    exportedOn: 'Fecha de exportación',
    extractedOn: 'Fecha de extracción',
    fine: 'Oro fino',
    fineIn: 'Oro fino que entra',
    fineOut: 'Oro fino que sale',
    fineness: 'Ley',
    finenessPermille: 'Ley (‰, milésimas)',
    flaggedOnly: 'Solo lotes con alertas abiertas',
    flags: 'Alertas',
    flagsRaised: 'El sistema levantó estas alertas sobre el lote:',
    form: 'Forma',
    formAuto: 'Automática (la misma si todos coinciden; si no, granallas)',
    gross: 'Peso bruto',
    grossG: 'Peso bruto (g)',
    inherited: 'heredada',
    labelTitle: 'Etiqueta del lote {code}',
    latitude: 'Latitud (grados decimales)',
    loading: 'Cargando…',
    longitude: 'Longitud (grados decimales)',
    loss: 'Merma (oro fino perdido)',
    lot: 'Lote',
    lotItself: 'Lote original',
    lotsCaption: 'Lotes en mi custodia',
    mapHelp:
      'Toque el mapa en el punto de extracción, o escriba la latitud y longitud abajo. Las concesiones están dibujadas; la elegida, en amarillo.',
    mapLabel: 'Mapa para elegir el punto de origen',
    mergeArithmetic: 'Cuentas de la fusión',
    mergeDone: 'Lotes fusionados en {code}.',
    mergeSelected: 'Fusionar seleccionados',
    mergeTitle: 'Fusionar {n} lotes',
    mergedLot: 'Lote resultante',
    more: 'Más',
    myLots: 'Mis lotes',
    needConcession: 'Elija la concesión declarada.',
    needDate: 'Indique la fecha de extracción (no puede ser futura).',
    needFineness: 'La ley debe ser mayor que 0 y como máximo 1000 ‰.',
    needGross: 'El peso bruto debe ser mayor que 0 g, con hasta tres decimales.',
    needOrigin: 'Indique el punto de origen: toque el mapa o escriba latitud y longitud válidas.',
    needProducer: 'Elija el productor (búsquelo por nombre o RUC).',
    newForm: 'Forma del lote refinado',
    noActor:
      'Esta credencial no está vinculada a ningún actor: no puede operar lotes. Pida una credencial de su empresa.',
    noFlags: 'Sin alertas',
    noLots: 'No hay lotes que mostrar con estos filtros.',
    notInCustody: 'Este lote no está en su custodia: solo puede verlo.',
    openLabelWindow: 'Abrir en ventana aparte',
    openLot: 'Ver el lote',
    origin: 'Punto de origen',
    originMixed: 'varios orígenes (lote fusionado)',
    part: 'Parte',
    partGross: 'Peso bruto de la parte {n} (g)',
    partN: 'Parte {n}',
    partsCount: 'Número de partes',
    partsTotal: 'Suma de las partes',
    print: 'Imprimir',
    printLabel: 'Imprimir etiqueta',
    producer: 'Productor',
    producerHolder: 'Titular de la concesión — {who}',
    producerMe: 'Mi empresa — {who}',
    producerOperator: 'Operador autorizado — {who}',
    producerOther: 'Otro productor (buscar por nombre o RUC)',
    qrAlt: 'Código QR del lote {code}',
    qrCaption: 'Código QR firmado que escanean los puestos de control.',
    refine: 'Refinar',
    refineCreatesGold: 'Saldrían {out} de oro fino de {fine}: la refinación no puede crear oro.',
    refineDone: 'Lote {code} refinado en {into}.',
    refineTitle: 'Refinar el lote {code}',
    registerAnother: 'Registrar otro lote',
    registerLot: 'Registrar lote',
    registered: 'Lote {code} registrado',
    registeredFine: 'Oro fino: {fine}.',
    remainder: 'Resto (merma)',
    resultFlagged: 'Atención: hay alertas sobre el resultado.',
    retry: 'Reintentar',
    review: 'Revisar',
    reviewHelp: 'Revise las cuentas. Nada se registra hasta que confirme.',
    risk: 'Riesgo: {level}',
    searchCode: 'Buscar por código',
    sections: 'Secciones',
    select: 'Elegir',
    selectLot: 'Elegir el lote {code} para fusionar',
    selectedCount: '{n} lote(s) elegido(s)',
    sending: 'Enviando…',
    split: 'Dividir',
    splitArithmetic: 'Cuentas de la división',
    splitCreatesGold:
      'Las partes suman {sum} pero el lote pesa {gross}: una división no puede crear oro. Corrija los pesos.',
    splitDone: 'Lote {code} dividido en {n} partes.',
    splitHelp:
      'Cada parte conserva la ley del lote ({fineness}). El oro fino de cada parte se redondea hacia abajo al miligramo.',
    splitTitle: 'Dividir el lote {code}',
    status: 'Estado',
    transfer: 'Transferir',
    transferDone: 'Lote {code} transferido.',
    transferReview: 'Se entregará el lote {code} ({fine} de oro fino) a {to}.',
    transferTitle: 'Transferir el lote {code}',
    provenance: 'Procedencia y destino del oro',
    noProvenance: 'Este lote no viene de otros ni se ha transformado.',
    relation: 'Relación',
    ancestor: 'origen (nivel {n})',
    descendant: 'resultado (nivel {n})',
    op_split: 'división',
    op_merge: 'fusión',
    op_refine: 'refinación',
    downloadEpcis: 'Descargar historia (GS1 EPCIS 2.0)',
  },
  en: {
    carriesFlags: 'The lot carries open flags, which pass on to whatever is made of it:',
    checking: 'Asking the server which flags this operation would raise…',
    custodianMe: 'My company (this account)',
    relatedHolder: 'Holder',
    exportAnyway: 'Export anyway',
    holder: 'Holder of the concession',
    mergeAnyway: 'Merge anyway',
    noSuchScreen: 'This address matches no screen of the desk.',
    nothingToFlag: "The system's screening would raise no flag.",
    operations: 'Operations on the lot',
    permanentExport: 'Once confirmed, the lot is exported for good: it can no longer be operated on.',
    permanentMerge:
      'Once confirmed, the lots are consumed into a new one for good: a merge cannot be undone.',
    permanentRefine:
      'Once confirmed, the lot is consumed and the refined one recorded for good: it cannot be undone.',
    permanentRegister:
      'Once confirmed, the lot is in the ledger for good: it cannot be deleted or corrected.',
    permanentSplit:
      'Once confirmed, the lot is consumed and its parts recorded for good: a split cannot be undone.',
    permanentTransfer:
      'Once confirmed, custody passes to the recipient, in the ledger for good: only they can hand the lot back.',
    producerSearch: 'Find the producer',
    recipient: 'Recipient (registered actor)',
    refineAnyway: 'Refine anyway',
    registerAnyway: 'Register anyway',
    roleHolder: 'holder of the concession',
    roleOperator: 'authorized operator',
    splitAnyway: 'Split anyway',
    transferAnyway: 'Transfer anyway',
    wouldFlag: "The system's screening would raise these flags:",
    wouldFlagTitle: 'Warning: this operation would be flagged.',
    allStatuses: 'All',
    back: 'Back to editing',
    backToLots: 'Back to my lots',
    cancel: 'Cancel',
    chooseConcession: 'Choose a concession…',
    clearSelection: 'Clear selection',
    close: 'Close',
    code: 'Code',
    concession: 'Declared concession',
    confirmExport: 'Confirm export',
    confirmMerge: 'Confirm merge',
    confirmRefine: 'Confirm refining',
    confirmRegister: 'Confirm registration',
    confirmSplit: 'Confirm split',
    confirmTransfer: 'Confirm transfer',
    countryHelp: 'Two-letter ISO code: CH (Switzerland), AE (Emirates), IN (India), US…',
    custodian: 'Current custodian',
    customsDeclaration: 'Customs declaration',
    decimalHint: 'A decimal comma or point, with at most three decimals (e.g. 1250.5 or 1250,5).',
    ambiguousAmount:
      '{field}: “{text}” may be read as {whole} or as {decimal}. Write it without a thousands separator ({whole}) or with its decimals ({decimal}).',
    destinationCountry: 'Destination country',
    equalParts: 'Equal parts',
    export: 'Export',
    exportDone: 'Lot {code} exported.',
    exportTitle: 'Export lot {code}',
    exportedOn: 'Export date',
    extractedOn: 'Extraction date',
    fine: 'Fine gold',
    fineIn: 'Fine gold in',
    fineOut: 'Fine gold out',
    fineness: 'Fineness',
    finenessPermille: 'Fineness (‰, parts per thousand)',
    flaggedOnly: 'Only lots with open flags',
    flags: 'Flags',
    flagsRaised: 'The system raised these flags on the lot:',
    form: 'Form',
    formAuto: 'Automatic (the same if all agree; otherwise granules)',
    gross: 'Gross weight',
    grossG: 'Gross weight (g)',
    inherited: 'inherited',
    labelTitle: 'Label of lot {code}',
    latitude: 'Latitude (decimal degrees)',
    loading: 'Loading…',
    longitude: 'Longitude (decimal degrees)',
    loss: 'Loss (fine gold lost)',
    lot: 'Lot',
    lotItself: 'Original lot',
    lotsCaption: 'Lots in my custody',
    mapHelp:
      'Tap the map at the extraction point, or type the latitude and longitude below. Concessions are drawn; the chosen one in yellow.',
    mapLabel: 'Map to pick the origin point',
    mergeArithmetic: 'Merge arithmetic',
    mergeDone: 'Lots merged into {code}.',
    mergeSelected: 'Merge selected',
    mergeTitle: 'Merge {n} lots',
    mergedLot: 'Resulting lot',
    more: 'More',
    myLots: 'My lots',
    needConcession: 'Choose the declared concession.',
    needDate: 'Give the extraction date (it cannot be in the future).',
    needFineness: 'Fineness must be above 0 and at most 1000 ‰.',
    needGross: 'Gross weight must be above 0 g, with at most three decimals.',
    needOrigin: 'Give the origin point: tap the map or type a valid latitude and longitude.',
    needProducer: 'Choose the producer (find it by name or RUC).',
    newForm: 'Form of the refined lot',
    noActor: 'This token is not bound to an actor: it cannot operate lots. Ask for a token of your company.',
    noFlags: 'No flags',
    noLots: 'No lots to show with these filters.',
    notInCustody: 'This lot is not in your custody: you may only view it.',
    openLabelWindow: 'Open in a separate window',
    openLot: 'Open the lot',
    origin: 'Origin point',
    originMixed: 'several origins (merged lot)',
    part: 'Part',
    partGross: 'Gross weight of part {n} (g)',
    partN: 'Part {n}',
    partsCount: 'Number of parts',
    partsTotal: 'Sum of the parts',
    print: 'Print',
    printLabel: 'Print label',
    producer: 'Producer',
    producerHolder: 'Holder of the concession — {who}',
    producerMe: 'My company — {who}',
    producerOperator: 'Authorized operator — {who}',
    producerOther: 'Another producer (find by name or RUC)',
    qrAlt: 'QR code of lot {code}',
    qrCaption: 'Signed QR code that checkpoints scan.',
    refine: 'Refine',
    refineCreatesGold: 'It would yield {out} of fine gold from {fine}: refining cannot create gold.',
    refineDone: 'Lot {code} refined into {into}.',
    refineTitle: 'Refine lot {code}',
    registerAnother: 'Register another lot',
    registerLot: 'Register lot',
    registered: 'Lot {code} registered',
    registeredFine: 'Fine gold: {fine}.',
    remainder: 'Remainder (loss)',
    resultFlagged: 'Attention: the result carries flags.',
    retry: 'Retry',
    review: 'Review',
    reviewHelp: 'Check the arithmetic. Nothing is recorded until you confirm.',
    risk: 'Risk: {level}',
    searchCode: 'Search by code',
    sections: 'Sections',
    select: 'Pick',
    selectLot: 'Pick lot {code} to merge',
    selectedCount: '{n} lot(s) picked',
    sending: 'Sending…',
    split: 'Split',
    splitArithmetic: 'Split arithmetic',
    splitCreatesGold:
      'The parts add up to {sum} but the lot weighs {gross}: a split cannot create gold. Fix the weights.',
    splitDone: 'Lot {code} split into {n} parts.',
    splitHelp:
      "Each part keeps the lot's fineness ({fineness}). Each part's fine gold is rounded down to the milligram.",
    splitTitle: 'Split lot {code}',
    status: 'Status',
    transfer: 'Transfer',
    transferDone: 'Lot {code} transferred.',
    transferReview: 'Lot {code} ({fine} of fine gold) will be handed to {to}.',
    transferTitle: 'Transfer lot {code}',
    provenance: 'Where the gold came from and went',
    noProvenance: 'This lot neither comes from others nor has been transformed.',
    relation: 'Relation',
    ancestor: 'source (level {n})',
    descendant: 'result (level {n})',
    op_split: 'split',
    op_merge: 'merge',
    op_refine: 'refining',
    downloadEpcis: 'Download history (GS1 EPCIS 2.0)',
  },
};
