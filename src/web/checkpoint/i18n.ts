/** Everything the checkpoint app says, in Spanish (the officers' language) and English. */
import type { Dict } from '../shared/i18n.js';

type Key =
  | 'title'
  | 'witnessWho'
  | 'checkpoint'
  | 'checkpointUnknown'
  | 'pending'
  | 'scan'
  | 'scanHelp'
  | 'stopCamera'
  | 'cameraStarting'
  | 'cameraDenied'
  | 'cameraMissing'
  | 'cameraLabel'
  | 'manualEntry'
  | 'manualLabel'
  | 'manualHelp'
  | 'verify'
  | 'refused'
  | 'refusedDetail'
  | 'refusedNothing'
  | 'noKeys'
  | 'genuineLot'
  | 'genuineMovement'
  | 'observedWeight'
  | 'observedWeightHelp'
  | 'recordScan'
  | 'recording'
  | 'pass'
  | 'hold'
  | 'provisional'
  | 'offlineQueued'
  | 'offlineSignature'
  | 'watchlistAge'
  | 'watchlistNone'
  | 'watchlistNotListed'
  | 'watchlistListed'
  | 'movementUnknownOffline'
  | 'serverVerdict'
  | 'next'
  | 'lotCode'
  | 'movementCode'
  | 'form'
  | 'declaredWeight'
  | 'status'
  | 'flags'
  | 'noFlags'
  | 'input'
  | 'declaredQuantity'
  | 'route'
  | 'inspection'
  | 'observedQuantity'
  | 'outcome'
  | 'outcomePassed'
  | 'outcomeDiscrepancy'
  | 'outcomeSeized'
  | 'notes'
  | 'recordInspection'
  | 'reasonLotStatus'
  | 'reasonMovementStatus'
  | 'reasonOutcome'
  | 'reasonQuantity'
  | 'reasonFlag'
  | 'queue'
  | 'queueEmpty'
  | 'sync'
  | 'syncing'
  | 'lastSync'
  | 'lastSyncNever'
  | 'syncCounts'
  | 'syncOffline'
  | 'applied'
  | 'duplicate'
  | 'rejected'
  | 'waiting'
  | 'discard'
  | 'discardConfirm'
  | 'kindScan'
  | 'kindInspection'
  | 'savedAt'
  | 'movementStatusDeclared'
  | 'movementStatusInTransit'
  | 'movementStatusDelivered'
  | 'movementStatusSeized'
  | 'inputMercury'
  | 'inputDiesel'
  | 'inputGasoline'
  | 'minutes'
  | 'justNow'
  | 'notAMovement'
  | 'whyMalformed'
  | 'whyForeignKey'
  | 'whySignature'
  | 'whyPayload'
  | 'staleWatchlist'
  | 'weightInvalid'
  | 'weightNotCompared'
  | 'quantityRequired'
  | 'online'
  | 'offline'
  | 'cancel'
  | 'observedWeightShort';

export const words: Dict<Key> = {
  es: {
    title: 'Puesto de control',
    witnessWho: 'este equipo',
    checkpoint: 'Puesto: {code} · {name}',
    checkpointUnknown: 'Puesto de control (sin datos aún)',
    pending: 'Pendientes: {count}',
    scan: 'Escanear código QR',
    scanHelp: 'Apunte la cámara al código QR del lote o del envío.',
    stopCamera: 'Detener cámara',
    cameraStarting: 'Abriendo la cámara…',
    cameraDenied: 'No se pudo usar la cámara ({why}). Escriba o pegue el código abajo.',
    cameraMissing: 'Este equipo no tiene cámara disponible. Escriba o pegue el código abajo.',
    cameraLabel: 'Vista de la cámara',
    manualEntry: 'Ingresar el código a mano',
    manualLabel: 'Código del QR (enlace o texto)',
    manualHelp: 'Pegue el enlace que empieza con …/v/ o el texto del código.',
    verify: 'Verificar',
    refused: 'RECHAZADO',
    refusedDetail: 'Código no auténtico: {why}',
    refusedNothing: 'No se registró nada. Retenga la carga y avise a su supervisor.',
    noKeys:
      'El equipo aún no tiene las claves del registro para verificar códigos. Conéctese una vez a internet.',
    genuineLot: 'Código auténtico: lote {code}',
    genuineMovement: 'Código auténtico: envío de insumos {code}',
    observedWeight: 'Peso bruto observado en gramos (opcional)',
    observedWeightHelp: 'Si pesó el lote, escriba el peso; se compara con el declarado.',
    recordScan: 'Registrar escaneo',
    recording: 'Registrando…',
    pass: 'PASA',
    hold: 'RETENER',
    provisional: 'PROVISIONAL · SIN CONEXIÓN',
    offlineQueued: 'Guardado en el equipo. Se enviará al registro cuando vuelva la señal.',
    offlineSignature: 'Firma del código verificada en el equipo.',
    watchlistAge: 'Lista de retención actualizada {age}.',
    watchlistNone:
      'El equipo no tiene lista de retención: no se pudo comprobar si debe retenerse. Decida con cuidado.',
    watchlistNotListed: 'No figura en la lista de retención.',
    watchlistListed: 'Figura en la lista de retención.',
    movementUnknownOffline: 'Sin datos del envío en el equipo: no se pudo comparar la cantidad declarada.',
    serverVerdict: 'Veredicto del registro central.',
    next: 'Escanear otro',
    lotCode: 'Lote',
    movementCode: 'Envío',
    form: 'Forma',
    declaredWeight: 'Peso bruto declarado',
    status: 'Estado',
    flags: 'Alertas',
    noFlags: 'Sin alertas',
    input: 'Insumo',
    declaredQuantity: 'Cantidad declarada',
    route: 'Ruta',
    inspection: 'Inspección',
    observedQuantity: 'Cantidad observada ({unit})',
    outcome: 'Resultado',
    outcomePassed: 'Conforme',
    outcomeDiscrepancy: 'Con diferencias',
    outcomeSeized: 'Incautado',
    notes: 'Observaciones (opcional)',
    recordInspection: 'Registrar inspección',
    reasonLotStatus: 'El lote está {status}',
    reasonMovementStatus: 'El envío ya está {status}',
    reasonOutcome: 'El inspector registró: {outcome}',
    reasonQuantity:
      'Observado {observed} {unit}, declarado {declared} {unit}: la diferencia supera la tolerancia de {tolerance} {unit}',
    reasonFlag: '{rule} (riesgo {severity}, alerta {status})',
    queue: 'Registros en el equipo',
    queueEmpty: 'No hay registros pendientes.',
    sync: 'Sincronizar',
    syncing: 'Sincronizando…',
    lastSync: 'Última sincronización: {when}',
    lastSyncNever: 'Aún no se ha sincronizado.',
    syncCounts: 'aplicados {applied} · duplicados {duplicate} · rechazados {rejected}',
    syncOffline: 'Sin conexión: se sincronizará cuando vuelva la señal.',
    applied: 'aplicado',
    duplicate: 'ya estaba registrado',
    rejected: 'rechazado',
    waiting: 'en espera',
    discard: 'Descartar',
    discardConfirm: '¿Descartar este registro rechazado? No llegará al registro central.',
    kindScan: 'Escaneo',
    kindInspection: 'Inspección',
    savedAt: 'guardado {when}',
    movementStatusDeclared: 'declarado',
    movementStatusInTransit: 'en tránsito',
    movementStatusDelivered: 'entregado',
    movementStatusSeized: 'incautado',
    inputMercury: 'mercurio',
    inputDiesel: 'diésel',
    inputGasoline: 'gasolina',
    minutes: 'hace {n} min',
    justNow: 'hace un momento',
    notAMovement: 'Este código es de un lote: registre un escaneo.',
    whyMalformed: 'el código está incompleto o dañado',
    whyForeignKey: 'no fue firmado por el registro (clave desconocida)',
    whySignature: 'la firma no corresponde: el código fue alterado o falsificado',
    whyPayload: 'no identifica un lote ni un envío',
    staleWatchlist: 'La lista tiene más de un día: conéctese para actualizarla.',
    weightInvalid: 'Escriba un número de gramos, con hasta 3 decimales (por ejemplo 1000,5).',
    weightNotCompared: 'El peso no se comparó: el equipo no tiene el peso declarado de este lote.',
    quantityRequired: 'Escriba la cantidad observada, con hasta 3 decimales.',
    online: 'En línea',
    offline: 'Sin conexión',
    cancel: 'Cancelar',
    observedWeightShort: 'Peso bruto observado',
  },
  en: {
    title: 'Checkpoint',
    witnessWho: 'this device',
    checkpoint: 'Post: {code} · {name}',
    checkpointUnknown: 'Checkpoint (no data yet)',
    pending: 'Pending: {count}',
    scan: 'Scan QR code',
    scanHelp: "Point the camera at the lot's or the consignment's QR code.",
    stopCamera: 'Stop camera',
    cameraStarting: 'Opening the camera…',
    cameraDenied: 'The camera could not be used ({why}). Type or paste the code below.',
    cameraMissing: 'No camera is available on this device. Type or paste the code below.',
    cameraLabel: 'Camera view',
    manualEntry: 'Enter the code by hand',
    manualLabel: 'QR code (link or text)',
    manualHelp: 'Paste the link that contains …/v/ or the code text.',
    verify: 'Verify',
    refused: 'REFUSED',
    refusedDetail: 'Code not genuine: {why}',
    refusedNothing: 'Nothing was recorded. Hold the load and tell your supervisor.',
    noKeys:
      "This device does not have the registry's keys to verify codes yet. Connect to the internet once.",
    genuineLot: 'Genuine code: lot {code}',
    genuineMovement: 'Genuine code: input consignment {code}',
    observedWeight: 'Observed gross weight in grams (optional)',
    observedWeightHelp: 'If you weighed the lot, type the weight; it is compared with the declared one.',
    recordScan: 'Record scan',
    recording: 'Recording…',
    pass: 'PASS',
    hold: 'HOLD',
    provisional: 'PROVISIONAL · OFFLINE',
    offlineQueued: 'Saved on this device. It will be sent to the registry when the signal returns.',
    offlineSignature: "The code's signature was verified on this device.",
    watchlistAge: 'Hold list updated {age}.',
    watchlistNone: 'This device has no hold list: it could not check whether to hold. Decide with care.',
    watchlistNotListed: 'Not on the hold list.',
    watchlistListed: 'On the hold list.',
    movementUnknownOffline:
      'No data on this consignment on the device: the declared quantity could not be compared.',
    serverVerdict: 'Verdict of the central registry.',
    next: 'Scan another',
    lotCode: 'Lot',
    movementCode: 'Consignment',
    form: 'Form',
    declaredWeight: 'Declared gross weight',
    status: 'Status',
    flags: 'Flags',
    noFlags: 'No flags',
    input: 'Input',
    declaredQuantity: 'Declared quantity',
    route: 'Route',
    inspection: 'Inspection',
    observedQuantity: 'Observed quantity ({unit})',
    outcome: 'Outcome',
    outcomePassed: 'Passed',
    outcomeDiscrepancy: 'Discrepancy',
    outcomeSeized: 'Seized',
    notes: 'Notes (optional)',
    recordInspection: 'Record inspection',
    reasonLotStatus: 'The lot is {status}',
    reasonMovementStatus: 'The consignment is already {status}',
    reasonOutcome: 'The inspector recorded: {outcome}',
    reasonQuantity:
      'Observed {observed} {unit}, declared {declared} {unit}: the difference exceeds the tolerance of {tolerance} {unit}',
    reasonFlag: '{rule} ({severity} risk, flag {status})',
    queue: 'Records on this device',
    queueEmpty: 'No records pending.',
    sync: 'Sync',
    syncing: 'Syncing…',
    lastSync: 'Last sync: {when}',
    lastSyncNever: 'Not synced yet.',
    syncCounts: 'applied {applied} · duplicates {duplicate} · rejected {rejected}',
    syncOffline: 'Offline: will sync when the signal returns.',
    applied: 'applied',
    duplicate: 'already recorded',
    rejected: 'rejected',
    waiting: 'waiting',
    discard: 'Discard',
    discardConfirm: 'Discard this rejected record? It will not reach the central registry.',
    kindScan: 'Scan',
    kindInspection: 'Inspection',
    savedAt: 'saved {when}',
    movementStatusDeclared: 'declared',
    movementStatusInTransit: 'in transit',
    movementStatusDelivered: 'delivered',
    movementStatusSeized: 'seized',
    inputMercury: 'mercury',
    inputDiesel: 'diesel',
    inputGasoline: 'gasoline',
    minutes: '{n} min ago',
    justNow: 'just now',
    notAMovement: 'This code is a lot’s: record a scan.',
    whyMalformed: 'the code is incomplete or damaged',
    whyForeignKey: 'it was not signed by the registry (unknown key)',
    whySignature: 'the signature does not match: the code was altered or forged',
    whyPayload: 'it names neither a lot nor a consignment',
    staleWatchlist: 'The list is more than a day old: connect to update it.',
    weightInvalid: 'Type a number of grams, with at most 3 decimals (for example 1000.5).',
    weightNotCompared: "The weight was not compared: the device does not have this lot's declared weight.",
    quantityRequired: 'Type the observed quantity, with at most 3 decimals.',
    online: 'Online',
    offline: 'Offline',
    cancel: 'Cancel',
    observedWeightShort: 'Observed gross weight',
  },
};
