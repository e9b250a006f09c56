import { z } from 'zod';

/**
 * The frames that carry the IPC contract over a byte stream (the web bridge's WebSocket, the
 * in-memory pair of the router tests). Only plain JSON crosses: no Dates, Maps or class instances.
 * Electron IPC needs no frames (`ipcMain.handle` correlates calls itself) but returns the same
 * {@link InvokeResult}.
 */

/** Largest frame either side accepts, bytes of UTF-8 JSON. @default 1048576 (1 MiB) */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** A request id: chosen by the caller, echoed in the response. */
const frameId = z.string().min(1).max(64);
/** A method or event name, `domain.verb` / `domain.onDidX`; the contract decides whether it exists. */
const name = z.string().min(1).max(128);

/** The error body IPC renders: a catalogue id, a user-safe message, a developer detail. Never a stack. */
export const ipcErrorSchema = z.object({
  id: z.string().min(1).max(128),
  message: z.string().max(4096),
  detail: z.string().max(16_384),
});

/** Caller -> router: call `method` with `input`. */
export const requestFrameSchema = z.object({ type: z.literal('request'), id: frameId, method: name, input: z.unknown() }).strict();
/** Caller -> router: start or stop receiving `event` frames. Answered by a response frame. */
export const subscribeFrameSchema = z.object({ type: z.enum(['subscribe', 'unsubscribe']), id: frameId, event: name }).strict();
/**
 * Caller -> web bridge, only as the first frame when the token is not in the URL; never reaches
 * the router. `token` is the one-time launch token or the session token of a reconnect.
 */
export const authFrameSchema = z.object({ type: z.literal('auth'), token: z.string().min(1).max(256) }).strict();

/** Router -> caller: the outcome of a request, subscribe or unsubscribe frame with the same id. */
export const responseFrameSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: z.string().max(64), ok: z.literal(true), output: z.unknown() }).strict(),
  z.object({ type: z.literal('response'), id: z.string().max(64), ok: z.literal(false), error: ipcErrorSchema }).strict(),
]);
/** Router -> caller: one payload of an event the caller subscribed to. */
export const eventFrameSchema = z.object({ type: z.literal('event'), event: name, payload: z.unknown() }).strict();
/**
 * Web bridge -> caller, once, right after authentication: the session token to present (once) on
 * a reconnect from the same tab, and the contract version. Never comes from the router.
 */
export const welcomeFrameSchema = z.object({ type: z.literal('welcome'), session: z.string().min(1).max(256), contractVersion: z.string() }).strict();

/** Any frame a caller sends to the router. */
export const clientFrameSchema = z.union([requestFrameSchema, subscribeFrameSchema]);
/** Any frame the router or the bridge sends to a caller. */
export const serverFrameSchema = z.union([responseFrameSchema, eventFrameSchema, welcomeFrameSchema]);

/** The error body of a failed call. */
export type IpcErrorBody = z.infer<typeof ipcErrorSchema>;
/** A request frame. */
export type RequestFrame = z.infer<typeof requestFrameSchema>;
/** A subscribe or unsubscribe frame. */
export type SubscribeFrame = z.infer<typeof subscribeFrameSchema>;
/** The web bridge's authentication frame. */
export type AuthFrame = z.infer<typeof authFrameSchema>;
/** A response frame. */
export type ResponseFrame = z.infer<typeof responseFrameSchema>;
/** An event frame. */
export type EventFrame = z.infer<typeof eventFrameSchema>;
/** The web bridge's welcome frame. */
export type WelcomeFrame = z.infer<typeof welcomeFrameSchema>;
/** Any frame a caller sends. */
export type ClientFrame = z.infer<typeof clientFrameSchema>;
/** Any frame a caller receives. */
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/**
 * What one call returns on every transport: the output, or the error body. Electron's
 * `ipcMain.handle` returns it as is (a thrown Error would lose its id and gain a prefix).
 */
export type InvokeResult = { ok: true; output: unknown } | { ok: false; error: IpcErrorBody };

/**
 * The UTF-8 size of a string, without Node's Buffer (shared/ runs in the renderer too).
 * @example utf8Length('é') === 2
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
