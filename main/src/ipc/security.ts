/**
 * Pure security checks both transports rely on, kept out of the Electron files so they are unit
 * tested: the Content-Security-Policy, which frames may call the contract, which origin may open
 * the web bridge's socket.
 */

/** Options of {@link contentSecurityPolicy}. */
export interface CspOptions {
  /** Extra `connect-src` sources (the web bridge's `ws://127.0.0.1:PORT`). @default none */
  connect?: readonly string[];
}

/**
 * The renderer's Content-Security-Policy: scripts, styles, fonts and images from the app itself
 * only; no inline script, no eval, no plugins, no framing, no forms, no `<base>`.
 * @example contentSecurityPolicy({ connect: ['ws://127.0.0.1:5173'] })
 */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = options.connect && options.connect.length > 0 ? `'self' ${options.connect.join(' ')}` : "'self'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Where the renderer may legitimately be loaded from. */
export interface TrustedRenderer {
  /** The app's own privileged scheme and host the renderer is served from (`app://console`). */
  appOrigin?: string;
  /** The built renderer's folder as a file URL (`file:///.../renderer/dist/`), when loaded from files. */
  rendererDirUrl?: string;
  /** The renderer's dev server origin (`http://localhost:5173`), in development only. */
  devOrigin?: string;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Whether a frame at `url` is our renderer: a page of the app's own scheme and host, a file
 * inside the built renderer's folder (no host, `..` already resolved by the URL parser), or a
 * page of the dev server's exact origin. Everything else (`about:blank`, `data:`, other origins,
 * other files) is refused.
 * @example isTrustedSenderUrl(event.senderFrame.url, { rendererDirUrl: 'file:///opt/app/renderer/dist/' })
 */
export function isTrustedSenderUrl(url: string | undefined, trusted: TrustedRenderer): boolean {
  const sender = url ? parse(url) : undefined;
  if (!sender) return false;
  if (sender.protocol === 'file:') {
    const dir = trusted.rendererDirUrl ? parse(trusted.rendererDirUrl) : undefined;
    if (!dir || dir.protocol !== 'file:' || sender.host !== '' || dir.host !== '') return false;
    const prefix = dir.pathname.endsWith('/') ? dir.pathname : `${dir.pathname}/`;
    return sender.pathname.startsWith(prefix);
  }
  const app = trusted.appOrigin ? parse(trusted.appOrigin) : undefined;
  if (app && sender.protocol === app.protocol) return sender.host === app.host && sender.username === '' && sender.password === '';
  if (sender.protocol === 'http:' || sender.protocol === 'https:') {
    const dev = trusted.devOrigin ? parse(trusted.devOrigin) : undefined;
    return dev !== undefined && dev.origin === sender.origin;
  }
  return false;
}

/**
 * Whether a request comes from the bridge's own page: its `Origin` header must be exactly the
 * bridge's origin. A missing Origin is refused too (browsers always send one on WebSockets).
 * @example isSameOrigin(req.headers.origin, 'http://127.0.0.1:43123')
 */
export function isSameOrigin(origin: string | undefined, own: string): boolean {
  return typeof origin === 'string' && origin === own;
}

/**
 * Whether the `Host` header names the bridge itself (refuses DNS-rebinding pages, whose requests
 * carry their own host name).
 * @example isOwnHost(req.headers.host, '127.0.0.1', 43123)
 */
export function isOwnHost(host: string | undefined, address: string, port: number): boolean {
  return host === `${address}:${port}`;
}
