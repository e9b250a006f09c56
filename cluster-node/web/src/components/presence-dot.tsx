/** A small presence dot with a text alternative (online, away, do not disturb, offline). */
export function PresenceDot({ status }: { status: string | undefined }) {
  const value = status === 'online' || status === 'away' || status === 'dnd' ? status : 'offline';
  const label = value === 'dnd' ? 'do not disturb' : value;
  return <span className={`presence presence-${value}`} role="img" aria-label={label} title={label} data-status={value} />;
}
