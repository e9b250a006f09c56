import type { Post } from '@switchboard/shared';

/** The most changes one `since` request returns (the server's cap, as Mattermost's). @default 1000 */
export const SINCE_PAGE = 1_000;
/** The most pages one catch-up reads before giving up (a channel changed beyond reason). @default 50 */
export const SINCE_MAX_PAGES = 50;

/**
 * Reads every change of a channel since a time, page by page. The server returns at most
 * {@link SINCE_PAGE} changes per request, earliest first, so each next page starts one
 * millisecond before the newest update_at received: changes sharing that millisecond are not
 * skipped (the repeats it brings merge away). Each page goes to `onPage` as it arrives.
 * @example await changesSince((t) => api.postsSince(channelId, t), since, (posts) => merge(posts));
 */
export async function changesSince(fetchPage: (since: number) => Promise<Post[]>, since: number, onPage: (posts: Post[]) => void, pageSize = SINCE_PAGE): Promise<void> {
  let from = since;
  for (let page = 0; page < SINCE_MAX_PAGES; page += 1) {
    const changed = await fetchPage(from);
    onPage(changed);
    if (changed.length < pageSize) return;
    const newest = Math.max(...changed.map((post) => post.update_at));
    if (newest - 1 <= from) return;
    from = newest - 1;
  }
}
