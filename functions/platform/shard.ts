/**
 * The shard of an id, for keys spread over shards so one hot partition does not take every write
 * (counters, index lists). A stable string hash (×31, unsigned 32-bit) modulo `shards`: stored keys
 * depend on it, so it never changes.
 */
export function shardOf(id: string, shards: number): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % shards;
}
