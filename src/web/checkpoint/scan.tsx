/**
 * The first screen: the camera reading a QR, and the printed code typed by hand (the way in when
 * the camera is refused, missing or busy, or the QR is torn). The camera's failures are said in
 * words, with how to let the app use it again.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../shared/i18n.js';
import { href } from '../shared/route.js';
import { Problem } from '../shared/ui.js';
import { type Scanner, startScanner } from './camera.js';
import { words } from './i18n.js';

type CameraProblem = 'cameraDenied' | 'cameraMissing' | 'cameraBusy' | 'cameraInsecure' | 'cameraFailed';

/** Why the camera did not start, from the DOMException's name (getUserMedia's documented ones). */
function cameraProblem(err: unknown): CameraProblem {
  if (!globalThis.isSecureContext) return 'cameraInsecure';
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return 'cameraDenied';
    case 'SecurityError':
      return 'cameraInsecure';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'cameraMissing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'cameraBusy';
    default:
      return 'cameraFailed';
  }
}

export function ScanScreen(props: {
  onEnter(text: string, from: 'camera' | 'keyboard'): Promise<string | undefined>;
}) {
  const t = useT(words);
  const video = useRef<HTMLVideoElement>(null);
  const scanner = useRef<Scanner>();
  const [camera, setCamera] = useState<'off' | 'starting' | 'on'>('off');
  const [problem, setProblem] = useState<CameraProblem>();
  const [entryProblem, setEntryProblem] = useState<string>();
  useEffect(() => {
    // The camera is off whenever the app is not on screen (a call, another app): battery and privacy.
    const hidden = () => {
      if (document.hidden && scanner.current) {
        scanner.current.stop();
        setCamera('off');
      }
    };
    document.addEventListener('visibilitychange', hidden);
    return () => {
      document.removeEventListener('visibilitychange', hidden);
      scanner.current?.stop();
    };
  }, []);

  const start = async () => {
    setProblem(undefined);
    if (!video.current) return;
    setCamera('starting');
    try {
      scanner.current = await startScanner(video.current, (text) => {
        setCamera('off');
        void props.onEnter(text, 'camera').then(setEntryProblem);
      });
      setCamera('on');
    } catch (err) {
      setCamera('off');
      setProblem(cameraProblem(err));
    }
  };
  const stop = () => {
    scanner.current?.stop();
    setCamera('off');
  };

  return (
    <>
      <section class="card" aria-labelledby="scan-title">
        <h2 id="scan-title">{t('scan')}</h2>
        <p class="hint">{t('scanHelp')}</p>
        <div class={`camera ${camera === 'off' ? 'camera-off' : ''}`}>
          <video ref={video} aria-label={t('cameraLabel')} muted playsInline />
        </div>
        {camera === 'starting' && <p aria-live="polite">{t('cameraStarting')}</p>}
        <div class="actions">
          {camera === 'off' ? (
            <button type="button" class="big" onClick={() => void start()}>
              {t('scan')}
            </button>
          ) : (
            <button type="button" class="big secondary" onClick={stop}>
              {t('stopCamera')}
            </button>
          )}
        </div>
        {problem && (
          <div class="problem" role="alert" data-testid="camera-problem">
            <p>{t(problem)}</p>
            {problem === 'cameraDenied' && <p>{t('cameraHowToAllow')}</p>}
            <p>
              <a href={href(['code'])}>{t('cameraTypeInstead')}</a>
            </p>
          </div>
        )}
        <Problem>{entryProblem}</Problem>
      </section>
      <TypedEntry
        onEnter={async (text) => {
          stop();
          return props.onEnter(text, 'keyboard');
        }}
      />
    </>
  );
}

/** #/code: the printed code alone, ready to type (a phone without camera, a torn QR). */
export function TypedScreen(props: { onEnter(text: string): Promise<string | undefined> }) {
  return <TypedEntry autofocus onEnter={props.onEnter} />;
}

/**
 * The code printed under the QR (AU-2026-000123 on a lot's label, MV-2026-000045 on a
 * consignment's papers), in any case, with or without dashes; the QR's link pasted works too.
 */
function TypedEntry(props: { autofocus?: boolean; onEnter(text: string): Promise<string | undefined> }) {
  const t = useT(words);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (props.autofocus) input.current?.focus();
  }, []);
  return (
    <form
      class="card"
      aria-labelledby="typed-title"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!text.trim() || busy) return;
        setBusy(true);
        setProblem(undefined);
        setProblem(await props.onEnter(text).finally(() => setBusy(false)));
      }}
    >
      <h2 id="typed-title">{t('manualEntry')}</h2>
      <label for="typed-code">{t('manualLabel')}</label>
      {/* One line, so that Enter verifies: a handheld scanner that types the code ends with Enter. */}
      <input
        ref={input}
        id="typed-code"
        type="text"
        autoComplete="off"
        autoCapitalize="characters"
        spellcheck={false}
        aria-describedby="typed-code-help"
        value={text}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
      />
      <p class="hint" id="typed-code-help">
        {t('manualHelp')}
      </p>
      <Problem>{problem}</Problem>
      <div class="actions">
        <button type="submit" disabled={!text.trim() || busy}>
          {busy ? t('lookingUpShort') : t('verify')}
        </button>
      </div>
    </form>
  );
}
