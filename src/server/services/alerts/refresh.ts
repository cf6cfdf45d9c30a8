import type { Database } from '../../db/database.js';
import { scanAlerts, todayIn } from './alerts.js';

/**
 * Alerts follow the data (issue 13): a change that can raise or settle an alert (an entry, a departure, a case
 * moving, a worker's passport) asks for its organization's alerts to be computed again, a second later and once
 * for a burst of changes; the daily scan stays as the safety net. Only where the server has configured it
 * (`korus serve`: `configureAlertRefresh` in buildApp); elsewhere (tests, the CLI) a no-op.
 */
interface Settings {
  timeZone: string;
  delayMs: number;
  onError: (error: unknown) => void;
}
const settings = new WeakMap<object, Settings>();
const pending = new WeakMap<object, Map<string, NodeJS.Timeout>>();

export function configureAlertRefresh(db: Database, options: Settings): void {
  settings.set(db, options);
}

export function stopAlertRefresh(db: Database): void {
  for (const timer of pending.get(db)?.values() ?? []) clearTimeout(timer);
  pending.delete(db);
  settings.delete(db);
}

export function alertsChanged(db: Database, organizationId: string | null | undefined): void {
  const config = settings.get(db);
  if (!config || !organizationId) return;
  let timers = pending.get(db);
  if (!timers) pending.set(db, (timers = new Map()));
  if (timers.has(organizationId)) return;
  const timer = setTimeout(() => {
    timers!.delete(organizationId);
    scanAlerts(db, { organizationId, asOf: todayIn(config.timeZone), timeZone: config.timeZone }).catch(
      config.onError,
    );
  }, config.delayMs);
  timer.unref();
  timers.set(organizationId, timer);
}
