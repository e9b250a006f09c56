import { BrowserWindow, type Protocol, type Session, type WebContents } from 'electron';
import { contractArgument } from '../ipc/electron-transport.js';
import { resolveStaticFile } from '../ipc/static-files.js';
import { notBuiltPage } from '../ipc/web-bridge.js';

/**
 * The console's window, locked down along Electron's security checklist: context isolation,
 * sandbox, no Node in the page, web security on, a strict CSP on every response, no new windows,
 * no navigation, no webviews, every permission refused. The renderer is served from the app's
 * own privileged scheme (`app://console/`), never from file://.
 */

/** The scheme the renderer is served from. */
export const APP_SCHEME = 'app';
/** The renderer's origin. */
export const APP_ORIGIN = `${APP_SCHEME}://console`;

/** Options of {@link createMainWindow}. */
export interface MainWindowOptions {
  /** The compiled preload (dist/electron/preload.cjs). */
  preloadPath: string;
  /** Load the renderer's dev server instead of app://console (development only). */
  devUrl?: string;
}

/**
 * Applies the CSP to every response and refuses every permission (camera, notifications,
 * geolocation...) asked by any page of the session.
 */
export function hardenSession(session: Session, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Denies new windows, navigation, redirects and webviews in a page (applied to every WebContents). */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Serves the built renderer on `app://console/` with the CSP header (or the not-built page).
 * The same resolver as the web bridge's, so `..` and foreign paths are refused alike.
 */
export function registerAppProtocol(protocol: Protocol, rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    const headers = { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' };
    if (url.host !== 'console') return new Response('Not found', { status: 404, headers });
    const file = resolveStaticFile(rendererDir, `${url.pathname}${url.search}`);
    if (file === 'not-built') return new Response(notBuiltPage(), { headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } });
    if (file === undefined) return new Response('Not found', { status: 404, headers });
    return new Response(new Uint8Array(file.body), { headers: { ...headers, 'Content-Type': file.type } });
  });
}

/**
 * Opens the console window.
 * @example createMainWindow({ preloadPath: fileURLToPath(new URL('./preload.cjs', import.meta.url)) })
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    show: false,
    title: 'Switchboard Console',
    webPreferences: {
      preload: options.preloadPath,
      additionalArguments: [contractArgument()],
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}
