import type { z } from 'zod';
import { ERRORS, SwitchboardError, type ErrorId } from '../errors/catalog.js';
import { EVENTS, METHODS, isEventName, isMethodName, type EventName, type EventPayload, type MethodInput, type MethodName, type MethodOutput } from './contract.js';
import type { InvokeResult, IpcErrorBody } from './wire.js';

/**
 * What the client needs from a transport. Electron's preload global (`window.switchboard`) is
 * one as it is; {@link createFrameTransport} makes one from a frame channel (the web bridge's
 * WebSocket, an in-memory pair).
 */
export interface ClientTransport {
  /** Calls a method; resolves with the output or the error body, never rejects for a refused call. */
  invoke(method: string, input: unknown): Promise<InvokeResult>;
  /** Receives an event's payloads until the returned function is called. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** The typed console API, generated from the contract. */
export interface ConsoleClient {
  /**
   * Calls `method`; resolves with its validated output, rejects with a {@link SwitchboardError}
   * (the one main raised, or `ipc.input_invalid` / `ipc.output_invalid` found on this side).
   */
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Calls `listener` with each validated payload of `event` until the returned function is called. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Told about event payloads that fail the contract (they are dropped). @default ignore */
  onInvalidEvent?: (event: string, detail: string) => void;
}

/**
 * A short, value-free description of what failed validation: `path: message; ...`.
 * @example describeIssues(schema.safeParse(x).error!) // "host: must be a host name; lines: Too big"
 */
export function describeIssues(error: z.ZodError, max = 10): string {
  const parts = error.issues.slice(0, max).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  if (error.issues.length > max) parts.push(`and ${error.issues.length - max} more`);
  return parts.join('; ');
}

/**
 * The {@link SwitchboardError} an error body stands for (an id this build does not know becomes
 * `internal.error`, keeping the body's message and detail).
 */
export function errorFromBody(body: IpcErrorBody): SwitchboardError {
  const id = (Object.hasOwn(ERRORS, body.id) ? body.id : 'internal.error') as ErrorId;
  return new SwitchboardError(id, { message: body.message, detail: body.detail });
}

/**
 * The typed client over any transport: refuses names outside the contract, validates inputs
 * before they leave and outputs and payloads when they arrive.
 * @example
 * const client = createClient(window.switchboard);
 * const { hosts } = await client.invoke('hosts.listNodes', {});
 * const stop = client.subscribe('cluster.onDidChange', (update) => render(update));
 */
export function createClient(transport: ClientTransport, options: ClientOptions = {}): ConsoleClient {
  return {
    async invoke(method, input) {
      if (!isMethodName(method)) throw new SwitchboardError('ipc.method_unknown', { detail: `method=${String(method)}` });
      const spec = METHODS[method];
      const parsed = spec.input.safeParse(input);
      if (!parsed.success) throw new SwitchboardError('ipc.input_invalid', { detail: `${method}: ${describeIssues(parsed.error)}` });
      const result = await transport.invoke(method, parsed.data);
      if (!result.ok) throw errorFromBody(result.error);
      const output = spec.output.safeParse(result.output);
      if (!output.success) throw new SwitchboardError('ipc.output_invalid', { detail: `${method}: ${describeIssues(output.error)}` });
      return output.data as MethodOutput<typeof method>;
    },
    subscribe(event, listener) {
      if (!isEventName(event)) throw new SwitchboardError('ipc.event_unknown', { detail: `event=${String(event)}` });
      const schema = EVENTS[event];
      return transport.subscribe(event, (payload) => {
        const parsed = schema.safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayload<typeof event>);
        else options.onInvalidEvent?.(event, describeIssues(parsed.error));
      });
    },
  };
}
