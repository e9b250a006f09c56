/** Resource types a leaked client leaves behind: sockets, servers, timers, child processes. */
const WATCHED = new Set(['TCPSocketWrap', 'TCPServerWrap', 'Timeout', 'ProcessWrap', 'PipeWrap']);

/** How many of each watched resource this process holds now (process.getActiveResourcesInfo). */
export function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) if (WATCHED.has(type)) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/**
 * Resources held now beyond `baseline` (taken before the suite opened anything), after letting
 * closing sockets and timers settle for up to `settleMs`. An empty object means nothing leaked.
 * @example const baseline = openHandles(); afterAll(async () => expect(await leakedSince(baseline)).toEqual({}));
 */
export async function leakedSince(baseline: Record<string, number>, settleMs = 3_000): Promise<Record<string, number>> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const extra: Record<string, number> = {};
    for (const [type, count] of Object.entries(openHandles())) if (count > (baseline[type] ?? 0)) extra[type] = count - (baseline[type] ?? 0);
    if (Object.keys(extra).length === 0 || Date.now() > deadline) return extra;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
