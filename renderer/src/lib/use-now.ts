import { useEffect, useState } from 'react';

/**
 * The current time, re-rendering every `intervalMs` (ages, uptimes and term lengths tick).
 * @example const now = useNow(1_000); formatDuration(now - startedAt)
 */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
