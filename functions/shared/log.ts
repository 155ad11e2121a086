/**
 * One JSON object per line on stdout, which CloudWatch and the local runtime
 * both read as is. Never pass tokens, subjects or request bodies: callers log ids,
 * route keys, statuses and codes only. `LOG_LEVEL=silent` mutes it (tests).
 */
export function logLine(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>): void {
  if (process.env.LOG_LEVEL === 'silent') return;
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...fields })}\n`);
}
