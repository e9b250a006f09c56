/** A response as tests look at it. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A thin fetch client for integration tests: JSON in and out, the session token in
 * `Authorization: Bearer`, as Mattermost clients send it.
 */
export class ApiClient {
  token = '';
  userId = '';

  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    const h = init.headers as Record<string, string>;
    if (this.token) h.authorization = `Bearer ${this.token}`;
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(`${this.baseUrl}/api/v4${path}`, init);
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').startsWith('application/json') && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** Logs in and keeps the token and user id. */
  async login(loginId: string, password: string): Promise<ApiResponse> {
    const response = await this.post('/users/login', { login_id: loginId, password });
    if (response.status !== 200) throw new Error(`login of ${loginId} failed: ${response.status} ${JSON.stringify(response.body)}`);
    this.token = response.headers.get('token') ?? '';
    this.userId = response.body.id;
    return response;
  }
}
