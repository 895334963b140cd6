import { ADMIN_EMAIL, ADMIN_PASSWORD } from './fake-stack.js';

/** A signed-in person talking to the gateway's public JSON API (session cookie + CSRF header). */
export class ApiSession {
  private constructor(
    readonly baseUrl: string,
    private readonly cookie: string,
    private readonly csrf: string,
  ) {}

  static async signIn(
    baseUrl: string,
    email = ADMIN_EMAIL,
    password = ADMIN_PASSWORD,
  ): Promise<ApiSession> {
    const res = await fetch(`${baseUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const session = (await (
      await fetch(`${baseUrl}/api/v1/session`, { headers: { cookie } })
    ).json()) as {
      csrfToken: string;
    };
    return new ApiSession(baseUrl, cookie, session.csrfToken);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const isForm = body instanceof FormData;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
        origin: this.baseUrl,
        ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: isForm ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The status a GET answers this person (for answers that are refusals on purpose). */
  async statusOf(path: string): Promise<number> {
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.cookie } });
    await res.arrayBuffer();
    return res.status;
  }

  createUser(name: string, email: string, password: string, role = 'editor') {
    return this.call('POST', '/api/v1/users', { name, email, password, role });
  }

  createNote(title: string, body: string, tags: string[] = []) {
    return this.call<{ id: string; slug: string; version: number }>('POST', '/api/v1/notes', {
      title,
      body,
      tags,
    });
  }

  updateNote(
    id: string,
    version: number,
    changes: { title: string; body: string; tags?: string[] },
  ) {
    return this.call<{ id: string; slug: string; version: number }>('PUT', `/api/v1/notes/${id}`, {
      ...changes,
      version,
    });
  }

  getNote(idOrSlug: string) {
    return this.call<{
      id: string;
      slug: string;
      version: number;
      title: string;
      body: string;
      tags: string[];
    }>('GET', `/api/v1/notes/${encodeURIComponent(idOrSlug)}`);
  }

  uploadImage(data: Buffer, filename: string, type: string) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(data)], { type }), filename);
    return this.call<{ id: string; width: number; height: number }>('POST', '/api/v1/media', form);
  }
}
