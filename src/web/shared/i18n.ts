/**
 * Two languages, Spanish by default (the people at the control posts of Madre de Dios speak it),
 * English available. Each app passes its own dictionary; `common` holds what every app says.
 * The choice is kept on the device and set on <html lang> so screen readers read it right.
 */
import { useEffect, useState } from 'preact/hooks';

export const languages = ['es', 'en'] as const;
export type Lang = (typeof languages)[number];

/** A dictionary: Spanish is the reference, English must say the same keys. */
export type Dict<K extends string> = Record<Lang, Record<K, string>>;

const storageKey = 'orotrace.lang';
const listeners = new Set<(l: Lang) => void>();

function currentLang(): Lang {
  const stored = globalThis.localStorage?.getItem(storageKey);
  return stored === 'en' || stored === 'es' ? stored : 'es';
}

export function setLang(lang: Lang): void {
  localStorage.setItem(storageKey, lang);
  document.documentElement.lang = lang;
  for (const l of listeners) l(lang);
}

/** The current language; re-renders the component when it changes. */
export function useLang(): Lang {
  const [lang, set] = useState(currentLang);
  useEffect(() => {
    listeners.add(set);
    // The language may have changed between the first render and this subscription.
    const now = currentLang();
    if (now !== lang) set(now);
    else document.documentElement.lang = lang;
    return () => void listeners.delete(set);
  }, [lang]);
  return lang;
}

/** `{name}` placeholders filled from params. */
function format(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** A translate function for one dictionary in the current language. */
export function useT<K extends string>(
  dict: Dict<K>,
): (key: K, params?: Record<string, string | number>) => string {
  const lang = useLang();
  return (key, params) => format(dict[lang][key], params);
}

export const common: Dict<
  | 'signIn'
  | 'signOut'
  | 'token'
  | 'tokenHelp'
  | 'tokenInvalid'
  | 'tokenExpired'
  | 'wrongRole'
  | 'language'
  | 'loading'
  | 'retry'
  | 'offline'
  | 'online'
  | 'error'
  | 'close'
  | 'cancel'
  | 'confirm'
  | 'grams'
  | 'signedInAs'
> = {
  es: {
    signIn: 'Ingresar',
    signOut: 'Salir',
    token: 'Credencial de acceso',
    tokenHelp: 'Pegue la credencial (token) que le entregó su administrador.',
    tokenInvalid: 'La credencial no es válida.',
    tokenExpired: 'La credencial venció. Pida una nueva.',
    wrongRole: 'Esta credencial es de rol «{role}»; esta aplicación es para {expected}.',
    language: 'Idioma',
    loading: 'Cargando…',
    retry: 'Reintentar',
    offline: 'Sin conexión',
    online: 'En línea',
    error: 'Error',
    close: 'Cerrar',
    cancel: 'Cancelar',
    confirm: 'Confirmar',
    grams: 'g',
    signedInAs: 'Rol: {role}',
  },
  en: {
    signIn: 'Sign in',
    signOut: 'Sign out',
    token: 'Access token',
    tokenHelp: 'Paste the access token your administrator gave you.',
    tokenInvalid: 'The token is not valid.',
    tokenExpired: 'The token has expired. Ask for a new one.',
    wrongRole: 'This token has role “{role}”; this app is for {expected}.',
    language: 'Language',
    loading: 'Loading…',
    retry: 'Retry',
    offline: 'Offline',
    online: 'Online',
    error: 'Error',
    close: 'Close',
    cancel: 'Cancel',
    confirm: 'Confirm',
    grams: 'g',
    signedInAs: 'Role: {role}',
  },
};
