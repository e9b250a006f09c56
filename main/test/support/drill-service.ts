import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DrillEvent } from '@switchboard/shared';
import { pino } from 'pino';
import { AuditLog } from '../../src/core/audit/index.js';
import { DrillService } from '../../src/core/drills/index.js';
import { EnvSecretStore } from '../../src/core/secrets/index.js';

/** The probe password the drill tests use (SB_SECRET_PROBE_PASSWORD). */
export const TEST_PROBE_PASSWORD = 'drill-Probe-Password-1';

/** A DrillService over a fresh data directory, with every live event it emitted. */
export function testDrillService(): { service: DrillService; dir: string; events: DrillEvent[] } {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-drills-'));
  const env = { PATH: process.env.PATH ?? '', SB_SECRET_PROBE_PASSWORD: TEST_PROBE_PASSWORD };
  const service = new DrillService({
    dir: join(dir, 'drills'),
    dataDir: dir,
    secrets: new EnvSecretStore(env),
    audit: AuditLog.inDataDir(dir),
    log: pino({ level: process.env.SB_TEST_DRILL_LOG ?? 'silent' }),
    env,
  });
  const events: DrillEvent[] = [];
  service.onEvent((event) => events.push(event));
  return { service, dir, events };
}
