/**
 * The optional basemap of a map, set per device: a tile URL typed here is kept (map.ts) and drawn
 * under the vector layers at once; cleared, the map goes back to loading nothing from elsewhere.
 */
import { useState } from 'preact/hooks';
import { useT } from './i18n.js';
import { basemapLayer, isTileUrl, L, setTileUrl, tileUrl } from './map.js';
import { mapWords } from './map-words.js';
import { Problem } from './ui.js';

export function TileSettings({ map }: { map: { current: L.Map | null } }) {
  const t = useT(mapWords);
  const [draft, setDraft] = useState(() => tileUrl() ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const apply = (url: string | null) => {
    setTileUrl(url);
    const m = map.current;
    if (!m) return;
    // createMap put the configured tiles on the map when it was made; replace whatever is there.
    m.eachLayer((l) => {
      if (l instanceof L.TileLayer) l.remove();
    });
    basemapLayer(url)?.addTo(m);
  };
  return (
    <details class="settings">
      <summary>{t('settings')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const url = draft.trim();
          if (url && !isTileUrl(url)) {
            setProblem(t('tileInvalid'));
            return;
          }
          setProblem(null);
          apply(url || null);
        }}
      >
        <label for="tile-url">{t('tileUrl')}</label>
        <input
          id="tile-url"
          type="url"
          inputMode="url"
          value={draft}
          aria-describedby="tile-help"
          onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
        />
        <p class="hint" id="tile-help">
          {t('tileHelp')}
        </p>
        <Problem>{problem}</Problem>
        <div class="actions">
          <button type="submit">{t('save')}</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft('');
              setProblem(null);
              apply(null);
            }}
          >
            {t('clear')}
          </button>
        </div>
      </form>
    </details>
  );
}
