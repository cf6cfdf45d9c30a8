import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider (the `oidc-provider` package, certified by the OpenID Foundation) on a random
 * local port, for the single sign-on tests: discovery, the authorization endpoint with PKCE, its own login and
 * consent pages (development interactions: any password), the token endpoint, signed ID tokens and userinfo.
 */
export interface TestAccount {
  email: string;
  name: string;
  groups: string[];
  emailVerified?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  /** Plays the browser: from KORUS's redirect to the provider until the provider sends it back to `redirectUri`. */
  signIn(authorizationUrl: string, accountId: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startOidcProvider(redirectUri: string): Promise<TestOidcProvider> {
  const accounts = new Map<string, TestAccount>();
  const clientId = 'korus-test';
  const clientSecret = 'a-client-secret-of-the-test-provider';
  // The issuer needs its own address: listen first on a placeholder, then build the provider for that port.
  const placeholder = await new Promise<Server>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (placeholder.address() as AddressInfo).port;
  await new Promise((resolve) => placeholder.close(resolve));
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    cookies: { keys: ['korus-test-provider-cookie-key'] },
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            name: account.name,
            groups: account.groups,
          };
        },
      };
    },
  });
  provider.proxy = false;
  const server = provider.listen(port, '127.0.0.1') as unknown as Server;
  await new Promise((resolve) => server.once('listening', resolve));

  async function signIn(authorizationUrl: string, accountId: string): Promise<URL> {
    const cookies = new Map<string, string>();
    const remember = (res: Response) => {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [name, ...value] = pair!.split('=');
        cookies.set(name!.trim(), value.join('='));
      }
    };
    const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 20; hop++) {
      if (url.href.startsWith(redirectUri)) return url;
      let res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader() } });
      remember(res);
      if (res.status === 200 && url.pathname.startsWith('/interaction/')) {
        const html = await res.text();
        const prompt =
          /name="prompt" value="(\w+)"/.exec(html)?.[1] ??
          (html.includes('name="login"') ? 'login' : 'consent');
        const body = new URLSearchParams(
          prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt },
        );
        res = await fetch(url, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        remember(res);
      }
      const location = res.headers.get('location');
      if (!location)
        throw new Error(
          `The provider stopped at ${url.href} (${res.status}): ${(await res.text()).slice(0, 300)}`,
        );
      url = new URL(location, url);
    }
    throw new Error('Too many redirects at the provider');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    signIn,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
