import { SwitchboardError } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { toPostgresError } from './postgres-errors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('toPostgresError', () => {
  it('calls network failures, timeouts and shutdowns unreachable', () => {
    for (const err of [
      withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
      withCode('getaddrinfo ENOTFOUND db', 'ENOTFOUND'),
      new Error('timeout expired'),
      new Error('Connection terminated unexpectedly'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('connection failure', '08006'),
    ]) {
      expect(toPostgresError(err).id).toBe('postgres.unreachable');
    }
  });

  it('calls refused credentials auth_failed', () => {
    expect(toPostgresError(withCode('password authentication failed for user "x"', '28P01')).id).toBe('postgres.auth_failed');
    expect(toPostgresError(withCode('role "x" does not exist', '28000')).id).toBe('postgres.auth_failed');
    expect(toPostgresError(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string')).id).toBe('postgres.auth_failed');
  });

  it('calls anything else query_failed, keeping the message and code in the detail', () => {
    const error = toPostgresError(withCode('relation "nope" does not exist', '42P01'));
    expect(error.id).toBe('postgres.query_failed');
    expect(error.detail).toBe('relation "nope" does not exist (42P01)');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('passes a SwitchboardError through', () => {
    const original = new SwitchboardError('console.invalid_argument');
    expect(toPostgresError(original)).toBe(original);
  });
});
