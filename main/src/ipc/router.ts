import {
  EVENTS,
  METHODS,
  clientFrameSchema,
  describeIssues,
  isEventName,
  isMethodName,
  isSwitchboardError,
  SwitchboardError,
  type EventName,
  type EventPayload,
  type InvokeResult,
  type IpcErrorBody,
  type MethodArgs,
  type MethodName,
  type MethodOutput,
  type ServerFrame,
} from '@switchboard/shared';
import type { Logger } from 'pino';
import type { ConsoleServices, Unsubscribe } from './services.js';

/**
 * The router: maps the contract's methods and events to the console services. It validates each
 * input before a service runs and each output and event payload before it leaves, renders errors
 * as `{id, message, detail}` and knows nothing of transports: they hand it calls and frames.
 */

type Handler<M extends MethodName> = (services: ConsoleServices, args: MethodArgs<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
type EventSource<E extends EventName> = (services: ConsoleServices, listener: (payload: EventPayload<E>) => void) => Unsubscribe;

/** Which service answers each method (a missing entry fails the type check). */
const HANDLERS: { [M in MethodName]: Handler<M> } = {
  'cluster.snapshot': (s) => s.cluster.snapshot(),
  'cluster.presenceUsers': (s, args) => s.cluster.presenceUsers(args),
  'cluster.recentEvents': (s, args) => s.cluster.recentEvents(args),
  'cluster.probe': (s, args) => s.cluster.probe(args),
  'postgres.health': (s) => s.postgres.health(),
  'postgres.consistencyCheck': (s) => s.postgres.consistencyCheck(),
  'hosts.listNodes': (s) => s.hosts.listNodes(),
  'hosts.start': (s, args) => s.hosts.action(args.host, args.nodeId, 'start'),
  'hosts.drain': (s, args) => s.hosts.action(args.host, args.nodeId, 'drain'),
  'hosts.kill': (s, args) => s.hosts.action(args.host, args.nodeId, 'kill'),
  'hosts.restart': (s, args) => s.hosts.action(args.host, args.nodeId, 'restart'),
  'hosts.logs': (s, args) => s.hosts.logs(args.host, args.nodeId, args.lines),
  'hosts.acceptHostKey': (s, args) => s.hosts.acceptHostKey(args.host, args.fingerprint),
  'audit.read': (s, args) => s.audit.read(args),
  'profiles.list': (s) => s.profiles.list(),
  'profiles.get': (s, args) => s.profiles.get(args.name),
  'profiles.save': (s, args) => s.profiles.save(args.profile),
  'profiles.select': (s, args) => s.profiles.select(args.name),
  'drills.listScenarios': (s) => s.drills.listScenarios(),
  'drills.validateScenario': (s, args) => s.drills.validateScenario(args.text),
  'drills.saveScenario': (s, args) => s.drills.saveScenario(args.text),
  'drills.start': (s, args) => s.drills.start(args),
  'drills.halt': (s, args) => s.drills.halt(args.runId),
  'drills.current': (s) => s.drills.current(),
  'drills.listRuns': (s) => s.drills.listRuns(),
  'drills.getReport': (s, args) => s.drills.getReport(args.runId),
  'drills.getReportHtml': (s, args) => s.drills.getReportHtml(args.runId),
};

/** Which service emits each event. */
const EVENT_SOURCES: { [E in EventName]: EventSource<E> } = {
  'cluster.onDidChange': (s, listener) => s.cluster.onDidChange(listener),
  'cluster.onDidChangeLeader': (s, listener) => s.cluster.onDidChangeLeader(listener),
  'hosts.onDidAct': (s, listener) => s.hosts.onDidAct(listener),
  'drills.onDidProgress': (s, listener) => s.drills.onDidProgress(listener),
};

/** The router's dependencies. */
export interface RouterDeps {
  services: ConsoleServices;
  log: Logger;
}

/** One caller's conversation with the router (a WebSocket, a window): its frames and subscriptions. */
export interface RouterConnection {
  /** Handles one frame from the caller (anything: it is validated here). */
  receive(frame: unknown): void;
  /** Ends the conversation: every subscription is dropped, late answers are discarded. */
  close(): void;
}

/** The error body of a SwitchboardError; anything else is `internal.error`, logged with its stack. */
export function renderError(err: unknown, log: Logger, context: Record<string, unknown>): IpcErrorBody {
  if (isSwitchboardError(err)) return { id: err.id, message: err.message, detail: err.detail };
  log.error({ ...context, err }, 'ipc call failed');
  const internal = new SwitchboardError('internal.error');
  return { id: internal.id, message: internal.message, detail: '' };
}

function failure(id: 'ipc.method_unknown' | 'ipc.input_invalid' | 'ipc.output_invalid' | 'ipc.event_unknown' | 'ipc.frame_invalid', detail: string): { ok: false; error: IpcErrorBody } {
  const error = new SwitchboardError(id, { detail });
  return { ok: false, error: { id: error.id, message: error.message, detail } };
}

/** A caller-supplied name or id, cut short and made printable for a detail or a log line. */
function quote(value: unknown): string {
  return JSON.stringify(typeof value === 'string' ? value.slice(0, 128) : typeof value);
}

/**
 * Routes contract calls and subscriptions to the console services.
 * @example
 * const router = new Router({ services, log });
 * const result = await router.invoke('hosts.drain', { host: 'web1', nodeId: 'n1' });
 * const connection = router.connect((frame) => socket.send(JSON.stringify(frame)));
 */
export class Router {
  readonly #deps: RouterDeps;

  constructor(deps: RouterDeps) {
    this.#deps = deps;
  }

  /** Calls `method` with `input`: validated in, validated out, errors rendered. Never rejects. */
  async invoke(method: unknown, input: unknown): Promise<InvokeResult> {
    if (!isMethodName(method)) return failure('ipc.method_unknown', `method=${quote(method)}`);
    const spec = METHODS[method];
    const args = spec.input.safeParse(input);
    if (!args.success) return failure('ipc.input_invalid', `${method}: ${describeIssues(args.error)}`);
    let output: unknown;
    try {
      const handler = HANDLERS[method] as Handler<MethodName>;
      output = await handler(this.#deps.services, args.data as MethodArgs<MethodName>);
    } catch (err) {
      return { ok: false, error: renderError(err, this.#deps.log, { method }) };
    }
    // A service bug must not reach the caller as a malformed answer: log what failed, send an id.
    const checked = spec.output.safeParse(output);
    if (!checked.success) {
      this.#deps.log.error({ method, issues: describeIssues(checked.error) }, 'ipc output invalid');
      return failure('ipc.output_invalid', `method=${method}`);
    }
    return { ok: true, output: checked.data };
  }

  /** Subscribes `listener` to `event`'s payloads that pass the contract (others are logged and dropped). */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
    const schema = EVENTS[event];
    const source = EVENT_SOURCES[event] as EventSource<EventName>;
    return source(this.#deps.services, (payload) => {
      const checked = schema.safeParse(payload);
      if (checked.success) listener(checked.data as EventPayload<E>);
      else this.#deps.log.error({ event, issues: describeIssues(checked.error) }, 'ipc event payload invalid');
    });
  }

  /** Opens a conversation whose answers and events go to `send`. */
  connect(send: (frame: ServerFrame) => void): RouterConnection {
    return new FrameConversation(this, send, this.#deps.log);
  }
}

/** A conversation over frames: requests answered by id, one subscription per event. */
class FrameConversation implements RouterConnection {
  readonly #subscriptions = new Map<EventName, Unsubscribe>();
  #closed = false;

  constructor(
    private readonly router: Router,
    private readonly sendFrame: (frame: ServerFrame) => void,
    private readonly log: Logger,
  ) {}

  receive(raw: unknown): void {
    if (this.#closed) return;
    const parsed = clientFrameSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? String((raw as { id: string }).id).slice(0, 64) : '';
      this.send({ type: 'response', id, ...failure('ipc.frame_invalid', describeIssues(parsed.error)) });
      return;
    }
    const frame = parsed.data;
    if (frame.type === 'request') {
      void this.router.invoke(frame.method, frame.input).then((result) => this.send({ type: 'response', id: frame.id, ...result }));
      return;
    }
    if (!isEventName(frame.event)) {
      this.send({ type: 'response', id: frame.id, ...failure('ipc.event_unknown', `event=${quote(frame.event)}`) });
      return;
    }
    try {
      if (frame.type === 'subscribe') this.#subscribe(frame.event);
      else this.#unsubscribe(frame.event);
    } catch (err) {
      this.send({ type: 'response', id: frame.id, ok: false, error: renderError(err, this.log, { event: frame.event }) });
      return;
    }
    this.send({ type: 'response', id: frame.id, ok: true, output: null });
  }

  close(): void {
    this.#closed = true;
    for (const event of [...this.#subscriptions.keys()]) this.#unsubscribe(event);
  }

  #subscribe(event: EventName): void {
    if (this.#subscriptions.has(event)) return;
    this.#subscriptions.set(event, this.router.subscribe(event, (payload) => this.send({ type: 'event', event, payload })));
  }

  #unsubscribe(event: EventName): void {
    const unsubscribe = this.#subscriptions.get(event);
    this.#subscriptions.delete(event);
    unsubscribe?.();
  }

  /** Sends unless closed; a transport that fails to send is the transport's problem, not the caller's. */
  private send(frame: ServerFrame): void {
    if (this.#closed) return;
    try {
      this.sendFrame(frame);
    } catch (err) {
      this.log.warn({ err }, 'ipc frame not sent');
    }
  }
}
