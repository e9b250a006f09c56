import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * How many sent events a connection keeps for resume (Mattermost's dead queue is 128 too).
 * Entries share the event's serialised prefix with every other recipient, so each costs one
 * array slot.
 * @default 128
 */
export const RESUME_BUFFER_SIZE = 128;

/**
 * How long a connection whose socket closed stays resumable by its connection_id.
 * @default 60000
 */
export const RESUME_WINDOW_MS = 60_000;

/** Sockets corked during the current tick; all uncorked together on the next one. */
const corked = new Set<Duplex>();

function uncorkAll(): void {
  for (const raw of corked) raw.uncork();
  corked.clear();
}

/**
 * Holds a socket's writes until the next tick. Events that reach the hub in one burst (a backlog
 * Redis hands over in one read) then leave as one write per socket instead of one per event; on
 * a loaded node the syscall per frame is most of a delivery's cost, and without this a backlog
 * feeds itself until slow consumers are closed (docs/BENCHMARKS.md, "Profile and fix").
 * HAZARD: `_socket` is ws's internal net.Socket (engine.io relies on ws internals the same way);
 * ws corks it around each frame too, and corks nest.
 */
function corkUntilNextTick(ws: WebSocket): void {
  const raw = (ws as unknown as { _socket?: Duplex })._socket;
  if (!raw || corked.has(raw)) return;
  if (corked.size === 0) process.nextTick(uncorkAll);
  raw.cork();
  corked.add(raw);
}

/** Where a connection stands: the next seq it will assign, and the stream position behind it. */
export interface ConnectionPosition {
  nextSeq: number;
  streamId: string | undefined;
}

/**
 * A logical client connection: its connection_id, its event sequence and the recent events
 * sent on it. It outlives its socket for {@link RESUME_WINDOW_MS}, so a client that reconnects
 * with `connection_id` and `sequence_number` resumes with nothing lost and nothing repeated.
 * `streamId` follows the cluster stream position of the last event assigned a seq, which is what
 * lets another node rebuild the sequence (see remote-resume.ts).
 */
export class Connection {
  private nextSeq: number;
  /**
   * The last sent events' JSON prefixes (shared by all recipients), as a ring: seq `s` sits at
   * `s % RESUME_BUFFER_SIZE`, and the `kept` newest seqs are the ones before `nextSeq`. No
   * object per entry and no shift per event: every socket of a busy node holds a full one.
   */
  private readonly sent: string[] = [];
  private kept = 0;
  streamId: string | undefined;
  socket: WebSocket | undefined;
  /** When the socket went away (epoch ms); 0 while attached. */
  detachedAt = 0;
  /** Whether an event was assigned since the last checkpoint snapshot. */
  dirty = true;
  /** The position captured at the last checkpoint tick, written at the next one. */
  snapshot: ConnectionPosition | undefined;
  /** Where the socket stopped: what the client can have received at most. */
  frozen: ConnectionPosition | undefined;

  constructor(
    readonly id: string,
    readonly userId: string,
    public sessionId: string,
    start: ConnectionPosition = { nextSeq: 0, streamId: undefined },
  ) {
    this.nextSeq = start.nextSeq;
    this.streamId = start.streamId;
  }

  /**
   * Assigns the next sequence number to an event, keeps it for resume and writes it to the
   * socket if there is one. `prefix` is the event's JSON up to `"seq":`, shared by all recipients.
   */
  sendEvent(prefix: string, streamId?: string): void {
    const seq = this.nextSeq;
    this.nextSeq += 1;
    if (streamId !== undefined) this.streamId = streamId;
    this.dirty = true;
    this.sent[seq % RESUME_BUFFER_SIZE] = prefix;
    this.kept = Math.min(this.kept + 1, RESUME_BUFFER_SIZE);
    if (this.socket && this.socket.readyState === this.socket.OPEN) {
      corkUntilNextTick(this.socket);
      this.socket.send(`${prefix}${seq}}`);
    }
  }

  /** The position to checkpoint. */
  get position(): ConnectionPosition {
    return { nextSeq: this.nextSeq, streamId: this.streamId };
  }

  /** Whether a client that next expects `sequence` can be resumed from what is kept. */
  canResumeFrom(sequence: number): boolean {
    if (sequence === this.nextSeq) return true;
    if (sequence > this.nextSeq || sequence < 0) return false;
    return sequence >= this.nextSeq - this.kept;
  }

  /** Attaches a new socket and replays every kept event from `sequence` on, in order. */
  resume(socket: WebSocket, sequence: number): number {
    this.attach(socket);
    corkUntilNextTick(socket);
    let replayed = 0;
    for (let seq = Math.max(sequence, this.nextSeq - this.kept); seq < this.nextSeq; seq += 1) {
      socket.send(`${this.sent[seq % RESUME_BUFFER_SIZE]}${seq}}`);
      replayed += 1;
    }
    return replayed;
  }

  attach(socket: WebSocket): void {
    this.socket = socket;
    this.detachedAt = 0;
    this.frozen = undefined;
    this.snapshot = undefined;
    this.dirty = true;
  }

  detach(now: number): void {
    this.socket = undefined;
    this.detachedAt = now;
    this.frozen = this.position;
  }

  get attached(): boolean {
    return this.socket !== undefined;
  }
}
