import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { createElement } from 'react';

/** A tiny history-based router: the server answers index.html for every non-API path. */
export function navigate(path: string): void {
  if (window.location.pathname === path) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const onChange = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onChange);
    return () => window.removeEventListener('popstate', onChange);
  }, []);
  return path;
}

/**
 * Whether `path` lies inside the module mounted at `base`, and the rest of it:
 * `subPath('/assessments', '/assessments/42')` is `'42'`; outside the module it is `null`.
 */
export function subPath(base: string, path: string): string | null {
  if (base === '/') return path === '/' ? '' : null;
  if (path === base || path === `${base}/`) return '';
  return path.startsWith(`${base}/`) ? path.slice(base.length + 1).replace(/\/$/, '') : null;
}

/** A link that changes the page without reloading it; modified clicks (new tab) keep the browser's way. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    props.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(props.href);
  };
  return createElement('a', { ...props, onClick });
}
