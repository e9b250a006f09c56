import { isSwitchboardError, SwitchboardError, type ErrorId } from '@switchboard/shared';

/** nodectl's exit codes: what the console branches on after running it over SSH. */
export const EXIT = {
  /** The command did what it was asked. */
  ok: 0,
  /** The action failed (the node did not become ready, did not exit, ...). */
  failed: 1,
  /** Usage or validation error: bad id, unknown command or flag, bad --lines, bad host config. */
  usage: 2,
  /** The node id is not in the host config. */
  unknownNode: 3,
  /** The node's state forbids the action (start of a running node, drain/kill of a stopped one). */
  conflict: 4,
} as const;

const EXIT_BY_ID: Partial<Record<ErrorId, number>> = {
  'nodectl.usage': EXIT.usage,
  'nodectl.config_invalid': EXIT.usage,
  'nodectl.unknown_node': EXIT.unknownNode,
  'nodectl.conflict': EXIT.conflict,
  'nodectl.action_failed': EXIT.failed,
};

/**
 * A nodectl failure with its catalogue id and a specific one-line message.
 * @example throw nodectlError('nodectl.conflict', 'n1 is already running (pid 4242)');
 */
export function nodectlError(id: ErrorId, message: string, detail?: string): SwitchboardError {
  return new SwitchboardError(id, { message: oneLine(message), detail });
}

/** The exit code for whatever a command threw (anything unexpected is a failed action). */
export function exitCodeOf(err: unknown): number {
  return (isSwitchboardError(err) && EXIT_BY_ID[err.id]) || EXIT.failed;
}

/** The `{id, message}` an error is reported as; unknown throws become `internal.error`. */
export function describeError(err: unknown): { id: ErrorId; message: string } {
  if (isSwitchboardError(err)) return { id: err.id, message: err.message };
  return { id: 'internal.error', message: oneLine(err instanceof Error ? err.message : String(err)) };
}

/** Collapses newlines so an error is one line on stderr. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' | ').trim();
}
