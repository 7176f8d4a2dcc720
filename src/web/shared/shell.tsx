/**
 * The frame of every app: a top bar (title, who is signed in, language, sign out), the sign-in
 * form when nobody is, and the app's own screens once someone with the right role is.
 */
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { Role } from '../../domain/shared/vocabulary.js';
import { type Api, createApi } from './api.js';
import { common, type Lang, languages, setLang, useLang, useT } from './i18n.js';
import { clearSession, loadSession, type Session, type SessionProblem, saveSession } from './session.js';
import { Problem } from './ui.js';

export interface AppContext {
  session: Session;
  api: Api;
  signOut(): void;
}

const roleWords: Record<Lang, Record<Role, string>> = {
  es: {
    checkpoint: 'puesto de control',
    exporter: 'exportador',
    regulator: 'regulador',
    admin: 'administrador',
  },
  en: { checkpoint: 'checkpoint', exporter: 'exporter', regulator: 'regulator', admin: 'administrator' },
};

function LanguagePicker() {
  const lang = useLang();
  const t = useT(common);
  return (
    <label class="visually-hidden-label">
      <span class="visually-hidden">{t('language')}</span>
      <select
        aria-label={t('language')}
        value={lang}
        onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}
      >
        {languages.map((l) => (
          <option key={l} value={l}>
            {l === 'es' ? 'Español' : 'English'}
          </option>
        ))}
      </select>
    </label>
  );
}

export function AppShell(props: {
  app: string;
  title: Record<Lang, string>;
  /** Roles this app serves; others are told so at sign-in. */
  roles: Role[];
  children: (ctx: AppContext) => ComponentChildren;
  /** Extra items in the top bar (an online indicator, a pending count). */
  status?: ComponentChildren;
  /**
   * Asked when the person chooses to sign out (records still on the device, say); it calls
   * `signOut` to go ahead. Without it "Salir" signs out at once.
   */
  confirmSignOut?: (signOut: () => void) => void;
}) {
  const lang = useLang();
  const t = useT(common);
  const [session, setSession] = useState<Session | SessionProblem | null>(() => loadSession(props.app));
  const [draft, setDraft] = useState('');
  const signOut = () => {
    clearSession(props.app);
    setSession(null);
  };
  const signedIn = typeof session === 'object' && session !== null && props.roles.includes(session.role);
  const api = useMemo(
    () =>
      createApi(
        () => (typeof session === 'object' && session ? session.token : undefined),
        () => setSession('expired'),
      ),
    [session],
  );
  const problem =
    session === 'invalid'
      ? t('tokenInvalid')
      : session === 'expired'
        ? t('tokenExpired')
        : typeof session === 'object' && session && !signedIn
          ? t('wrongRole', {
              role: roleWords[lang][session.role],
              expected: props.roles.map((r) => roleWords[lang][r]).join(', '),
            })
          : undefined;

  return (
    <>
      <a class="skip" href="#main">
        {lang === 'es' ? 'Ir al contenido' : 'Skip to content'}
      </a>
      <header class="topbar">
        <h1>{props.title[lang]}</h1>
        {props.status}
        {signedIn && <span class="who">{t('signedInAs', { role: roleWords[lang][session.role] })}</span>}
        <LanguagePicker />
        {signedIn && (
          <button
            type="button"
            onClick={() => (props.confirmSignOut ? props.confirmSignOut(signOut) : signOut())}
          >
            {t('signOut')}
          </button>
        )}
      </header>
      <main id="main">
        {signedIn ? (
          props.children({ session, api, signOut })
        ) : (
          <form
            class="card"
            style={{ maxWidth: '40rem' }}
            onSubmit={(e) => {
              e.preventDefault();
              const next = saveSession(props.app, draft);
              setSession(next);
              if (typeof next === 'object') setDraft('');
            }}
          >
            <h2>{t('signIn')}</h2>
            <Problem>{problem}</Problem>
            <label for="token">{t('token')}</label>
            <textarea
              id="token"
              name="token"
              autoComplete="off"
              spellcheck={false}
              value={draft}
              onInput={(e) => setDraft((e.currentTarget as HTMLTextAreaElement).value)}
            />
            <p class="hint">{t('tokenHelp')}</p>
            <div class="actions">
              <button type="submit" disabled={!draft.trim()}>
                {t('signIn')}
              </button>
            </div>
          </form>
        )}
      </main>
    </>
  );
}
