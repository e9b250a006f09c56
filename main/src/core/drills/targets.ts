import { radiusCount, type StepTarget } from '@switchboard/shared';

/** What a target is picked from: the active nodes the drill can control, and the leader. */
export interface TargetPool {
  /** Active node ids the profile's hosts control, sorted. */
  active: readonly string[];
  leader: string | null;
}

/**
 * The nodes a step acts on: candidates by role (`any`, `leader`, `followers`) and optional ids,
 * then as many as the blast radius says (random ones, or the first by id).
 * @example pickTargets({ among: 'followers', radius: { count: 2 }, pick: 'first' }, { active: ['n1', 'n2', 'n3'], leader: 'n1' }) // ['n2', 'n3']
 */
export function pickTargets(target: StepTarget, pool: TargetPool, random: () => number = Math.random): string[] {
  let candidates = [...pool.active].sort();
  if (target.among === 'leader') candidates = candidates.filter((id) => id === pool.leader);
  if (target.among === 'followers') candidates = candidates.filter((id) => id !== pool.leader);
  if (target.nodes) candidates = candidates.filter((id) => target.nodes!.includes(id));
  const count = radiusCount(target.radius, candidates.length);
  if (target.pick === 'first') return candidates.slice(0, count);
  const shuffled = [...candidates];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled.slice(0, count).sort();
}

/** A step's target in words, for progress lines: `one random follower`, `2 of any`. */
export function describeTarget(target: StepTarget): string {
  const radius = target.radius === 'one' ? 'one' : target.radius === 'all' ? 'all' : 'count' in target.radius ? `${target.radius.count}` : `${target.radius.percent}%`;
  const among = target.among === 'any' ? 'node' : target.among;
  const of = target.nodes ? ` of ${target.nodes.join(', ')}` : '';
  return `${radius} ${target.pick === 'random' && radius !== 'all' ? 'random ' : ''}${among}${of}`;
}
