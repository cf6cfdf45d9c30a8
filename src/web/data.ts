import { useEffect, useState } from 'react';
import type { RulesCatalog } from '../contract/rules-catalog.js';
import { api, asProblem, type ApiProblem } from './api.js';

export interface Resource<T> {
  data: T | null;
  problem: ApiProblem | null;
}

/** GETs a resource when `url` changes; `data` and `problem` are both null while it loads. */
export function useResource<T>(url: string | null): Resource<T> {
  const [state, setState] = useState<Resource<T> & { url: string | null }>({
    url: null,
    data: null,
    problem: null,
  });
  useEffect(() => {
    if (!url) return;
    let live = true;
    api<T>('GET', url).then(
      (data) => live && setState({ url, data, problem: null }),
      (error: unknown) => live && setState({ url, data: null, problem: asProblem(error) }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return state.url === url ? state : { data: null, problem: null };
}

let catalogRequest: Promise<RulesCatalog> | null = null;

/** The rules catalog (`GET /api/rules`) changes only when the server restarts: fetch it once per page load. */
export function useRulesCatalog(): Resource<RulesCatalog> {
  const [state, setState] = useState<Resource<RulesCatalog>>({ data: null, problem: null });
  useEffect(() => {
    let live = true;
    catalogRequest ??= api<RulesCatalog>('GET', '/api/rules');
    catalogRequest.then(
      (data) => live && setState({ data, problem: null }),
      (error: unknown) => {
        catalogRequest = null;
        if (live) setState({ data: null, problem: asProblem(error) });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
