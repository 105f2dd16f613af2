/** Weekly wall-clock ranges (`{day, start: '09:00', end: '17:00'}`): booking pages' working hours, SLA business hours. */

/** Minutes since midnight of a wall-clock time `HH:MM` (`24:00` is 1440). */
export const minutesOf = (time: string) => {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Whether range `i` overlaps an earlier range of the same day. */
export const overlapsEarlier = (
  ranges: ReadonlyArray<{ day: string; start: string; end: string }>,
  i: number,
) => {
  const h = ranges[i];
  return (
    h !== undefined &&
    ranges.some(
      (o, j) =>
        j < i &&
        o.day === h.day &&
        minutesOf(o.start) < minutesOf(h.end) &&
        minutesOf(h.start) < minutesOf(o.end),
    )
  );
};
