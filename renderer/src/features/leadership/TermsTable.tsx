import { StatusBadge } from '../../components/StatusBadge.js';
import { formatDateTime, formatDuration, MISSING } from '../../lib/format.js';
import { TERM_END_LABEL, type LeaderTerm } from './terms.js';

/** The terms, newest first: who, epoch, from, to, length, how it ended, the gap before the next. */
export function TermsTable({ terms, now }: { terms: readonly LeaderTerm[]; now: number }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Leadership terms">
        <thead>
          <tr>
            <th scope="col">Leader</th>
            <th scope="col">Epoch</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Term</th>
            <th scope="col">Ended</th>
            <th scope="col">Gap before next leader</th>
          </tr>
        </thead>
        <tbody>
          {[...terms].reverse().map((term) => {
            const end = term.ongoing ? now : term.end;
            return (
              <tr key={term.epoch} aria-label={`Term of ${term.nodeId}, epoch ${term.epoch}`}>
                <th scope="row">{term.nodeId}</th>
                <td className="num">{term.epoch}</td>
                <td className="nowrap">{term.start === null ? 'before the history' : formatDateTime(term.start)}</td>
                <td className="nowrap">{term.ongoing ? <StatusBadge tone="ok">current</StatusBadge> : term.end === null ? 'unknown' : formatDateTime(term.end)}</td>
                <td className="num">{term.start !== null && end !== null ? formatDuration(end - term.start) : MISSING}</td>
                <td>{term.endedBy ? TERM_END_LABEL[term.endedBy] : MISSING}</td>
                <td className="num">{term.gapAfterMs === null ? MISSING : formatDuration(term.gapAfterMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
