import { useEffect, useState } from 'react';

/**
 * `value`, once it stopped changing for `delayMs` (a search box queries when typing pauses).
 * @example const search = useDebounced(text, 250);
 */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
