/** What the exporter desk says, in Spanish (the default) and English. */
import type { Dict } from '../shared/i18n.js';

type Key =
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
  | 'contactName'
  | 'countryHelp'
  | 'custodian'
  | 'customsDeclaration'
  | 'decimalHint'
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
  | 'producerId'
  | 'producerMe'
  | 'producerOperator'
  | 'producerOther'
  | 'qrAlt'
  | 'qrCaption'
  | 'recipientHelp'
  | 'recipientId'
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
  | 'reviewTitle'
  | 'risk'
  | 'saveContact'
  | 'searchCode'
  | 'searchContacts'
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
    contactName: 'Nombre para recordarlo',
    countryHelp: 'Código ISO de dos letras: CH (Suiza), AE (Emiratos), IN (India), US…',
    custodian: 'Custodio actual',
    customsDeclaration: 'Declaración aduanera (DAM)',
    decimalHint: 'Use punto decimal y hasta tres decimales (por ejemplo 1250.5).',
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
    needProducer: 'Indique el productor (un identificador de actor válido).',
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
    producerHolder: 'Titular de la concesión ({id})',
    producerId: 'Identificador del productor',
    producerMe: 'Mi empresa (esta cuenta)',
    producerOperator: 'Operador autorizado ({id})',
    producerOther: 'Otro productor (escribir su identificador)',
    qrAlt: 'Código QR del lote {code}',
    qrCaption: 'Código QR firmado que escanean los puestos de control.',
    recipientHelp: 'El identificador (UUID) del actor que recibe el lote, tal como figura en su registro.',
    recipientId: 'Identificador del destinatario',
    refine: 'Refinar',
    refineCreatesGold: 'Saldrían {out} de oro fino de {fine}: la refinación no puede crear oro.',
    refineDone: 'Lote {code} refinado en {into}.',
    refineTitle: 'Refinar el lote {code}',
    registerAnother: 'Registrar otro lote',
    registerLot: 'Registrar lote',
    registered: 'Lote {code} registrado',
    registeredFine: 'Oro fino: {fine} g.',
    remainder: 'Resto (merma)',
    resultFlagged: 'Atención: hay alertas sobre el resultado.',
    retry: 'Reintentar',
    review: 'Revisar',
    reviewHelp: 'Revise las cuentas. Nada se registra hasta que confirme.',
    reviewTitle: 'Revise antes de confirmar',
    risk: 'Riesgo: {level}',
    saveContact: 'Guardar en contactos',
    searchCode: 'Buscar por código',
    searchContacts: 'Buscar en mis contactos',
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
      'Cada parte conserva la ley del lote ({fineness} ‰). El oro fino de cada parte se redondea hacia abajo al miligramo.',
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
    contactName: 'A name to remember it by',
    countryHelp: 'Two-letter ISO code: CH (Switzerland), AE (Emirates), IN (India), US…',
    custodian: 'Current custodian',
    customsDeclaration: 'Customs declaration',
    decimalHint: 'Use a decimal point and at most three decimals (e.g. 1250.5).',
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
    needProducer: 'Give the producer (a valid actor id).',
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
    producerHolder: 'Holder of the concession ({id})',
    producerId: 'Producer id',
    producerMe: 'My company (this account)',
    producerOperator: 'Authorized operator ({id})',
    producerOther: 'Another producer (type its id)',
    qrAlt: 'QR code of lot {code}',
    qrCaption: 'Signed QR code that checkpoints scan.',
    recipientHelp: 'The id (UUID) of the actor receiving the lot, as in its registration.',
    recipientId: 'Recipient id',
    refine: 'Refine',
    refineCreatesGold: 'It would yield {out} of fine gold from {fine}: refining cannot create gold.',
    refineDone: 'Lot {code} refined into {into}.',
    refineTitle: 'Refine lot {code}',
    registerAnother: 'Register another lot',
    registerLot: 'Register lot',
    registered: 'Lot {code} registered',
    registeredFine: 'Fine gold: {fine} g.',
    remainder: 'Remainder (loss)',
    resultFlagged: 'Attention: the result carries flags.',
    retry: 'Retry',
    review: 'Review',
    reviewHelp: 'Check the arithmetic. Nothing is recorded until you confirm.',
    reviewTitle: 'Check before confirming',
    risk: 'Risk: {level}',
    saveContact: 'Save to contacts',
    searchCode: 'Search by code',
    searchContacts: 'Search my contacts',
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
      "Each part keeps the lot's fineness ({fineness} ‰). Each part's fine gold is rounded down to the milligram.",
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
