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
  | 'entryTyped'
  | 'othersWaiting'
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
  | 'whyMalformed'
  | 'whyForeignKey'
  | 'whySignature'
  | 'whyPayload'
  | 'whyPrefix'
  | 'staleWatchlist'
  | 'weightInvalid'
  | 'weightNotCompared'
  | 'quantityRequired'
  | 'amountAmbiguous'
  | 'online'
  | 'offline'
  | 'cancel'
  | 'observedWeightShort'
  | 'notACode'
  | 'lookingUp'
  | 'lookingUpShort'
  | 'typedVerdict'
  | 'offlineTyped'
  | 'refusedUnknownCode'
  | 'refusedUnknownWhat'
  | 'unchecked'
  | 'uncheckedDetail'
  | 'uncheckedWhat'
  | 'typedLot'
  | 'typedMovement'
  | 'compareLot'
  | 'compareMovement'
  | 'flagStatus'
  | 'unitUnknown'
  | 'flaggedInspection'
  | 'severeCritical'
  | 'severeHigh'
  | 'severeLot'
  | 'severeMovement'
  | 'decimalHelp'
  | 'outcomeChoose'
  | 'outcomeRequired'
  | 'cameraBusy'
  | 'cameraInsecure'
  | 'cameraFailed'
  | 'cameraHowToAllow'
  | 'cameraTypeInstead'
  | 'discardOne'
  | 'leaveTitle'
  | 'leaveDetail'
  | 'leaveSyncFirst'
  | 'leaveStay'
  | 'leaveAnyway'
  | 'leaveOffline'
  | 'holdByRegistry';

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
    cameraDenied: 'El navegador no dio permiso para usar la cámara.',
    cameraMissing: 'Este equipo no tiene una cámara disponible.',
    cameraLabel: 'Vista de la cámara',
    manualEntry: 'Escribir el código de la etiqueta',
    manualLabel: 'Código del lote o del envío',
    manualHelp:
      'El código impreso bajo el QR, como AU-2026-000123 o MV-2026-000045; mayúsculas, espacios y guiones no importan. También puede pegar el enlace del QR.',
    verify: 'Verificar',
    refused: 'RECHAZADO',
    refusedDetail: 'Código no auténtico: {why}',
    refusedNothing: 'No se registró nada. Retenga la carga y avise a su supervisor.',
    noKeys:
      'El equipo aún no tiene las claves del registro para verificar códigos. Conéctese una vez a internet.',
    genuineLot: 'Código auténtico: lote {code}',
    genuineMovement: 'Código auténtico: envío de insumos {code}',
    observedWeight: 'Peso bruto observado en gramos (opcional)',
    observedWeightHelp:
      'Si pesó el lote, escriba el peso (con coma o punto decimal); se compara con el declarado.',
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
    observedQuantity: 'Cantidad observada, en {unit}',
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
      'Observado {observed}, declarado {declared}: la diferencia supera la tolerancia de {tolerance}',
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
    entryTyped: 'código escrito',
    othersWaiting:
      '{count} registro(s) de otro usuario esperan en este equipo: se enviarán cuando esa persona vuelva a ingresar, a su nombre.',
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
    whyMalformed: 'el código está incompleto o dañado',
    whyForeignKey: 'no fue firmado por el registro (clave desconocida)',
    whySignature: 'la firma no corresponde: el código fue alterado o falsificado',
    whyPayload: 'no identifica un lote ni un envío',
    whyPrefix:
      'el enlace GS1 lleva un prefijo de empresa que este registro no emite ni acepta (una etiqueta ajena, o reescrita)',
    staleWatchlist: 'La lista tiene más de un día: conéctese para actualizarla.',
    weightInvalid:
      'Escriba un número de gramos mayor que cero, con coma o punto decimal y hasta 3 decimales (por ejemplo 1000,5).',
    weightNotCompared: 'El peso no se comparó: el equipo no tiene el peso declarado de este lote.',
    quantityRequired: 'Escriba la cantidad observada, con coma o punto decimal y hasta 3 decimales.',
    amountAmbiguous:
      '«{text}» puede leerse como {whole} o como {decimal}. Escríbalo sin separador de miles ({whole}) o con sus decimales ({decimal}).',
    online: 'En línea',
    offline: 'Sin conexión',
    cancel: 'Cancelar',
    observedWeightShort: 'Peso bruto observado',
    notACode:
      'No es un código de lote (AU-2026-000123) ni de envío (MV-2026-000045), ni el enlace de un QR. Revise lo que escribió.',
    lookingUp: 'Buscando {code}…',
    lookingUpShort: 'Buscando…',
    typedVerdict:
      'CÓDIGO ESCRITO, NO ESCANEADO: compare la etiqueta (código, peso, forma) con esta pantalla.',
    offlineTyped:
      'Código escrito: hallado entre los datos que guarda el equipo; su firma se verificó en el equipo.',
    refusedUnknownCode: 'El código {code} no existe en el registro.',
    refusedUnknownWhat:
      'Revise que lo escribió igual que en la etiqueta. Si coincide, la etiqueta no es del registro: retenga la carga y avise a su supervisor. No se registró nada.',
    unchecked: 'SIN VERIFICAR',
    uncheckedDetail: 'Sin conexión, el equipo no tiene datos de {code}: no puede decir si existe.',
    uncheckedWhat:
      'No es un rechazo. Escanee el QR de la etiqueta (se verifica sin señal) o vuelva a escribir el código cuando haya señal.',
    typedLot: 'Código escrito (no escaneado): el lote {code} existe en el registro.',
    typedMovement: 'Código escrito (no escaneado): el envío {code} existe en el registro.',
    compareLot:
      'Compare la etiqueta con esta pantalla: el código, la forma y el peso deben coincidir. Si no coinciden, retenga la carga.',
    compareMovement:
      'Compare los papeles del envío con esta pantalla: el código, el insumo y la cantidad deben coincidir. Si no coinciden, retenga la carga.',
    flagStatus: 'alerta {status}',
    unitUnknown: 'su unidad',
    flaggedInspection:
      'Este envío tiene {count} alerta(s) sin resolver. Revise la carga y elija el resultado usted mismo.',
    severeCritical: 'ALERTA CRÍTICA',
    severeHigh: 'ALERTA ALTA',
    severeLot:
      'Este lote tiene {count} alerta(s) grave(s) sin resolver: retenga la carga y revísela antes de decidir. Las alertas están en la lista de abajo.',
    severeMovement:
      'Este envío tiene {count} alerta(s) grave(s) sin resolver: retenga la carga y revísela antes de decidir. Las alertas están en la lista de abajo.',
    decimalHelp: 'Con coma o punto decimal, hasta 3 decimales (por ejemplo 19,95).',
    outcomeChoose: 'No hay resultado marcado: elija uno.',
    outcomeRequired: 'Elija el resultado de la inspección.',
    cameraBusy:
      'La cámara está en uso por otra aplicación o no responde. Cierre las aplicaciones que usan la cámara (llamadas, otra pestaña) y toque «Escanear código QR» de nuevo.',
    cameraInsecure:
      'El navegador solo permite usar la cámara en una conexión segura (https). Abra la aplicación con su dirección https.',
    cameraFailed:
      'No se pudo abrir la cámara. Toque «Escanear código QR» de nuevo; si sigue sin abrir, reinicie el navegador.',
    cameraHowToAllow:
      'Para activarla: toque el candado o el ícono de la cámara junto a la dirección de la página, abra «Permisos» o «Configuración del sitio», elija «Permitir» para la cámara y recargue la página.',
    cameraTypeInstead: 'Mientras tanto, escriba el código impreso en la etiqueta',
    discardOne: 'Descartar el registro de {code}',
    leaveTitle: '¿Salir con registros sin enviar?',
    leaveDetail:
      '{count} registro(s) quedarían sin enviar en este equipo: no llegarán al registro central hasta que alguien vuelva a ingresar aquí y sincronice.',
    leaveSyncFirst: 'Sincronizar y salir',
    leaveStay: 'Quedarme',
    leaveAnyway: 'Salir de todos modos',
    leaveOffline: 'Sin conexión no se puede sincronizar ahora.',
    holdByRegistry: 'El registro central ordena retener esta carga. Avise a su supervisor.',
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
    cameraDenied: 'The browser did not allow the camera.',
    cameraMissing: 'No camera is available on this device.',
    cameraLabel: 'Camera view',
    manualEntry: 'Type the code on the label',
    manualLabel: 'Lot or consignment code',
    manualHelp:
      'The code printed under the QR, such as AU-2026-000123 or MV-2026-000045; case, spaces and dashes do not matter. You may also paste the QR’s link.',
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
    observedQuantity: 'Observed quantity, in {unit}',
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
      'Observed {observed}, declared {declared}: the difference exceeds the tolerance of {tolerance}',
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
    entryTyped: 'code typed',
    othersWaiting:
      '{count} record(s) of another user are waiting on this device: they will be sent, in their name, when that person signs in again.',
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
    whyMalformed: 'the code is incomplete or damaged',
    whyForeignKey: 'it was not signed by the registry (unknown key)',
    whySignature: 'the signature does not match: the code was altered or forged',
    whyPayload: 'it names neither a lot nor a consignment',
    whyPrefix:
      'the GS1 link carries a company prefix this registry neither issues nor accepts (a foreign label, or one rewritten)',
    staleWatchlist: 'The list is more than a day old: connect to update it.',
    weightInvalid: 'Type a number of grams, with at most 3 decimals (for example 1000.5).',
    weightNotCompared: "The weight was not compared: the device does not have this lot's declared weight.",
    quantityRequired: 'Type the observed quantity, with at most 3 decimals.',
    amountAmbiguous:
      '“{text}” may be read as {whole} or as {decimal}. Write it without a thousands separator ({whole}) or with its decimals ({decimal}).',
    online: 'Online',
    offline: 'Offline',
    cancel: 'Cancel',
    observedWeightShort: 'Observed gross weight',
    notACode:
      'Not a lot code (AU-2026-000123) or a consignment code (MV-2026-000045), nor a QR link. Check what you typed.',
    lookingUp: 'Looking up {code}…',
    lookingUpShort: 'Looking up…',
    typedVerdict: 'CODE TYPED, NOT SCANNED: compare the label (code, weight, form) with this screen.',
    offlineTyped:
      'Typed code: found in the data this device keeps; its signature was verified on the device.',
    refusedUnknownCode: 'The code {code} does not exist in the registry.',
    refusedUnknownWhat:
      'Check that you typed it as on the label. If it matches, the label is not the registry’s: hold the load and tell your supervisor. Nothing was recorded.',
    unchecked: 'NOT CHECKED',
    uncheckedDetail: 'Offline, this device has no data on {code}: it cannot tell whether it exists.',
    uncheckedWhat:
      'This is not a refusal. Scan the label’s QR (verified with no signal) or type the code again when there is signal.',
    typedLot: 'Code typed (not scanned): lot {code} exists in the registry.',
    typedMovement: 'Code typed (not scanned): consignment {code} exists in the registry.',
    compareLot:
      'Compare the label with this screen: code, form and weight must match. If they do not, hold the load.',
    compareMovement:
      'Compare the consignment’s papers with this screen: code, input and quantity must match. If they do not, hold the load.',
    flagStatus: 'flag {status}',
    unitUnknown: 'its unit',
    flaggedInspection:
      'This consignment has {count} unresolved flag(s). Check the load and choose the outcome yourself.',
    severeCritical: 'CRITICAL FLAG',
    severeHigh: 'HIGH FLAG',
    severeLot:
      'This lot has {count} serious unresolved flag(s): hold the load and check it before deciding. The flags are listed below.',
    severeMovement:
      'This consignment has {count} serious unresolved flag(s): hold the load and check it before deciding. The flags are listed below.',
    decimalHelp: 'With a decimal comma or point, at most 3 decimals (for example 19.95).',
    outcomeChoose: 'No outcome is selected: choose one.',
    outcomeRequired: 'Choose the outcome of the inspection.',
    cameraBusy:
      'The camera is used by another app or does not respond. Close the apps using the camera (calls, another tab) and tap “Scan QR code” again.',
    cameraInsecure:
      'The browser allows the camera only over a secure connection (https). Open the app at its https address.',
    cameraFailed:
      'The camera could not be opened. Tap “Scan QR code” again; if it still fails, restart the browser.',
    cameraHowToAllow:
      'To allow it: tap the padlock or camera icon next to the page’s address, open “Permissions” or “Site settings”, choose “Allow” for the camera and reload the page.',
    cameraTypeInstead: 'Meanwhile, type the code printed on the label',
    discardOne: 'Discard the record of {code}',
    leaveTitle: 'Sign out with records not sent?',
    leaveDetail:
      '{count} record(s) would stay unsent on this device: they will not reach the central registry until someone signs in here again and syncs.',
    leaveSyncFirst: 'Sync and sign out',
    leaveStay: 'Stay',
    leaveAnyway: 'Sign out anyway',
    leaveOffline: 'Offline, syncing is not possible now.',
    holdByRegistry: 'The central registry orders this load held. Tell your supervisor.',
  },
};
