/** ULID-shaped ids in a fixed sequence (`prefix` then a counter in Crockford base 32): the same every run. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function idSequence(prefix: string) {
  let n = 0;
  return () => {
    let v = n++;
    let s = '';
    for (let i = 0; i < 8; i++) {
      s = (CROCKFORD[v % 32] as string) + s;
      v = Math.floor(v / 32);
    }
    return `${prefix}${s}`.padEnd(26, '0').slice(0, 26);
  };
}
