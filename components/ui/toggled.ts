/** A copy of the set with `id` added (on) or removed: checkbox lists keep their selection in a Set. */
export function toggled<T>(set: ReadonlySet<T>, id: T, on: boolean): Set<T> {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}
