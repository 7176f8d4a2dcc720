/**
 * Actors by name and RUC wherever the console shows one (a lot's events, flag reviews, balances):
 * regulators may read every actor, so each id is read once (GET /v1/actors/:id) and kept for the
 * session. Kept small and apart from the exporters' directory picker, which answers other roles.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../shared/api.js';
import type { Actor } from '../shared/api-types.js';

const known = new Map<string, Promise<Actor | undefined>>();

function actorOf(api: Api, id: string): Promise<Actor | undefined> {
  let a = known.get(id);
  if (!a) {
    // An actor that cannot be read is shown by its id; it is asked again on the next screen.
    a = api.get<Actor>(`/v1/actors/${id}`).catch(() => {
      known.delete(id);
      return undefined;
    });
    known.set(id, a);
  }
  return a;
}

/** "Minera Guacamayo SAC (RUC 20600000011)". */
export const actorLabel = (a: Pick<Actor, 'name' | 'taxId'>): string => `${a.name} (RUC ${a.taxId})`;

/** The actors of `ids` by id, as they arrive; ids that are not actors' (a token subject) are skipped. */
export function useActorNames(api: Api, ids: (string | null | undefined)[]): Map<string, string> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id && /^[0-9a-f-]{36}$/i.test(id)))].sort();
  const [names, setNames] = useState(new Map<string, string>());
  const key = wanted.join(',');
  useEffect(() => {
    let live = true;
    void Promise.all(wanted.map(async (id) => [id, await actorOf(api, id)] as const)).then((pairs) => {
      if (!live) return;
      const next = new Map<string, string>();
      for (const [id, a] of pairs) if (a) next.set(id, actorLabel(a));
      setNames(next);
    });
    return () => {
      live = false;
    };
  }, [api, key]);
  return names;
}
