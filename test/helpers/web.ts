// A tiny cookie-keeping client over app.inject, with CSRF tokens read from real forms: the
// way a browser without JavaScript uses the site.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class WebClient {
  private readonly cookies = new Map<string, string>();

  readonly app: FastifyInstance;
  readonly ip: string;

  constructor(app: FastifyInstance, ip = '127.0.0.1') {
    this.app = app;
    this.ip = ip;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      // Judged by the app's clock, as the server that set the cookie sees time: tests run
      // on a fake clock whose "now" may be long past (or ahead of) the wall clock.
      const now = this.app.clock.now();
      const expired = cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < now) || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader }, remoteAddress: this.ip }));
  }

  /** The CSRF token from the first form on `page`. */
  async csrf(page: string): Promise<string> {
    const response = await this.get(page);
    const match = response.body.match(/name="_csrf" value="([^"]+)"/);
    if (!match) throw new Error(`no form on ${page} (${response.statusCode})`);
    return match[1];
  }

  /** POSTs a form; `csrfFrom` names the page whose form supplies the token (false: send none). */
  async post(url: string, fields: Record<string, string>, csrfFrom: string | false = url): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams(fields);
    if (csrfFrom !== false) body.set('_csrf', await this.csrf(csrfFrom));
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: this.ip,
      }),
    );
  }

  async register(username: string, extra: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const password = `${username}-password-1`;
    const page = extra.invite ? `/register?invite=${extra.invite}` : '/register';
    return this.post('/register', { username, password, confirm: password, ...extra }, page);
  }

  async login(username: string, password = `${username}-password-1`): Promise<LightMyRequestResponse> {
    return this.post('/login', { username, password }, '/login');
  }
}

/** The text of the first field error on a page. */
export const fieldError = (html: string, field: string): string | undefined =>
  html.match(new RegExp(`id="${field}-error"[^>]*>([^<]*)<`))?.[1];
