import { lazy, useCallback, useEffect, useState } from 'react';
import type { Me } from '../contract/api.js';
import { api, ApiProblem, setApiLang } from './api.js';
import { useI18n, type Lang } from './i18n/i18n.js';
import { LoginPage } from './pages/Login.js';
import { Frame } from './components/Frame.js';
import { moduleAt, modules as modules_all, PageSlot, visibleModules } from './modules.js';
import { subPath, usePath } from './router.js';

// The public pages load on demand too; the service worker precaches their chunks so /card opens offline
// (vite.config.ts writes their list to offline-assets.json; src/web/public/sw.js reads it).
const VerifyPage = lazy(() => import('./pages/Verify.js').then((m) => ({ default: m.VerifyPage })));
const CardPage = lazy(() => import('./pages/Card.js').then((m) => ({ default: m.CardPage })));

type State = { status: 'loading' } | { status: 'anonymous' } | { status: 'signed-in'; me: Me };

export function App() {
  const { lang, setLang, t } = useI18n();
  const [state, setState] = useState<State>({ status: 'loading' });
  const path = usePath();
  setApiLang(lang);

  const load = useCallback(async () => {
    try {
      const me = await api<Me>('GET', '/api/me');
      setState({ status: 'signed-in', me });
      // A language remembered on the server wins over the browser's default, unless chosen here.
      if (me.user.locale && !localStorage.getItem('korus.lang')) setLang(me.user.locale);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) setState({ status: 'anonymous' });
      else setState({ status: 'anonymous' });
    }
  }, [setLang]);

  useEffect(() => {
    void load();
    // The account page changed the user's own record (two-factor on or off): load it again.
    const reload = () => void load();
    window.addEventListener('korus:me-changed', reload);
    return () => window.removeEventListener('korus:me-changed', reload);
  }, [load]);

  const changeLang = useCallback(
    (next: Lang) => {
      setLang(next);
      setApiLang(next);
      if (state.status === 'signed-in')
        void api('PUT', '/api/me/preferences', { locale: next }).catch(() => undefined);
    },
    [setLang, state.status],
  );

  // Public pages, shown without signing in (and offline for the card): the status card and its verification.
  if (subPath('/verify', path) !== null)
    return (
      <PageSlot>
        <VerifyPage onLang={changeLang} />
      </PageSlot>
    );
  const card = subPath('/card', path);
  if (card !== null)
    return (
      <PageSlot>
        <CardPage onLang={changeLang} rest={card} />
      </PageSlot>
    );
  if (state.status === 'loading') {
    return (
      <p className="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (state.status === 'anonymous') {
    return <LoginPage onSignedIn={(me) => setState({ status: 'signed-in', me })} onLang={changeLang} />;
  }
  const me = state.me;
  const modules = visibleModules(me);
  // Someone who must enrol in two-factor sign-in sees their account page wherever they go.
  const current =
    moduleAt(modules, path) ?? (me.twoFactor.mustEnroll ? { module: modules[0]!, rest: '' } : undefined);
  return (
    <Frame
      me={me}
      modules={modules}
      currentPath={current?.module.path ?? ''}
      onLang={changeLang}
      onSignedOut={() => {
        setState({ status: 'anonymous' });
        window.history.replaceState(null, '', '/');
      }}
    >
      {current ? (
        // Keyed by module: a page that failed to load does not keep the next one from showing.
        <PageSlot key={current.module.path}>{current.module.render(me, current.rest)}</PageSlot>
      ) : moduleAt(modules_all, path) ? (
        // A screen of the app this role cannot use (typed or bookmarked): say so, never an empty page.
        <section aria-labelledby="nf">
          <h1 id="nf">{t('error.forbiddenTitle')}</h1>
          <p>{t('error.forbidden')}</p>
        </section>
      ) : (
        <section aria-labelledby="nf">
          <h1 id="nf">{t('error.notFoundTitle')}</h1>
          <p>{t('error.notFound')}</p>
        </section>
      )}
    </Frame>
  );
}
