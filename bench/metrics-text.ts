/** Sums of one metric by one label (label values may hold braces: route templates do). */
export function metricTotals(text: string, name: string, label: string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const value = new RegExp(`[{,]${label}="([^"]*)"`).exec(line)?.[1];
    const count = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (value !== undefined) totals[value] = (totals[value] ?? 0) + count;
  }
  return totals;
}
