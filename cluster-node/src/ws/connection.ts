import type { WebSocket } from 'ws';

/**
 * How many sent events a connection keeps for resume (Mattermost's dead queue is 128 too).
 * @default 128
 */
export const RESUME_BUFFER_SIZE = 128;

/**
 * How long a connection whose socket closed stays resumable by its connection_id.
 * @default 60000
 */
export const RESUME_WINDOW_MS = 60_000;

/** One sent event kept for replay. */
interface SentFrame {
  seq: number;
  frame: string;
}

/**
 * A logical client connection: its connection_id, its event sequence and the recent events
 * sent on it. It outlives its socket for {@link RESUME_WINDOW_MS}, so a client that reconnects
 * with `connection_id` and `sequence_number` resumes with nothing lost and nothing repeated.
 */
export class Connection {
  private nextSeq = 0;
  private readonly sent: SentFrame[] = [];
  socket: WebSocket | undefined;
  /** When the socket went away (epoch ms); 0 while attached. */
  detachedAt = 0;

  constructor(
    readonly id: string,
    readonly userId: string,
    public sessionId: string,
  ) {}

  /**
   * Assigns the next sequence number to an event, keeps it for resume and writes it to the
   * socket if there is one. `prefix` is the event's JSON up to `"seq":`, shared by all recipients.
   */
  sendEvent(prefix: string): void {
    const seq = this.nextSeq;
    this.nextSeq += 1;
    const frame = `${prefix}${seq}}`;
    this.sent.push({ seq, frame });
    if (this.sent.length > RESUME_BUFFER_SIZE) this.sent.shift();
    if (this.socket && this.socket.readyState === this.socket.OPEN) this.socket.send(frame);
  }

  /** Whether a client that next expects `sequence` can be resumed from what is kept. */
  canResumeFrom(sequence: number): boolean {
    if (sequence === this.nextSeq) return true;
    if (sequence > this.nextSeq) return false;
    const oldest = this.sent[0]?.seq ?? this.nextSeq;
    return sequence >= oldest;
  }

  /** Attaches a new socket and replays every kept event from `sequence` on, in order. */
  resume(socket: WebSocket, sequence: number): number {
    this.attach(socket);
    let replayed = 0;
    for (const { seq, frame } of this.sent) {
      if (seq >= sequence) {
        socket.send(frame);
        replayed += 1;
      }
    }
    return replayed;
  }

  attach(socket: WebSocket): void {
    this.socket = socket;
    this.detachedAt = 0;
  }

  detach(now: number): void {
    this.socket = undefined;
    this.detachedAt = now;
  }

  get attached(): boolean {
    return this.socket !== undefined;
  }
}
