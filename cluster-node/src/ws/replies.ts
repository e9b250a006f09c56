import { ERRORS, type ErrorId, type WebSocketReply } from '@switchboard/shared';

/** An OK reply to the action with sequence `seq`. */
export function ok(seq: number, data?: unknown): WebSocketReply {
  return data === undefined ? { status: 'OK', seq_reply: seq } : { status: 'OK', seq_reply: seq, data };
}

/** A FAIL reply with a catalogued error, as Mattermost's WebSocket router sends it. */
export function fail(seq: number, id: ErrorId, detail = ''): WebSocketReply {
  const entry = ERRORS[id];
  return { status: 'FAIL', seq_reply: seq, error: { id, message: entry.message, detailed_error: detail, status_code: entry.status } };
}
