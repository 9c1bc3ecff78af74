import { app } from "./app";
import { integrityCron } from "./integrity/cron";
import { DEFAULT_POLICY, beijingHour } from "./reminders/due";
import { runReminders } from "./reminders/run";

// The entry module exports only handlers (workerd refuses other named exports).
/** wrangler.toml [triggers]: the integrity check daily at 03:00 Beijing time; reminders every hour. */
const INTEGRITY_CRON = "0 19 * * *";
/** Reminders are posted in office hours only (Beijing 09:00–19:59); a robot that failed is tried again the next hour. */
const REMINDER_HOURS = { from: 9, to: 19 };

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    const now = new Date(controller.scheduledTime || Date.now());
    // the daily trigger starts the integrity check; the hourly one continues a run that did not fit one invocation
    await integrityCron(env.DB, now, controller.cron === INTEGRITY_CRON);
    if (controller.cron === INTEGRITY_CRON) return;
    const hour = beijingHour(now);
    if (hour < REMINDER_HOURS.from || hour > REMINDER_HOURS.to) return;
    const days = Number((env as { REMINDER_DAYS_BEFORE?: string }).REMINDER_DAYS_BEFORE ?? DEFAULT_POLICY.daysBefore);
    const outcomes = await runReminders(env.DB, now, { ...DEFAULT_POLICY, daysBefore: Number.isFinite(days) && days >= 0 ? days : DEFAULT_POLICY.daysBefore });
    const count = (s: string) => outcomes.filter((o) => o.status === s).length;
    console.log(JSON.stringify({ reminders: { sent: count("sent"), failed: count("failed"), noWebhook: count("no_webhook") } }));
  },
} satisfies ExportedHandler<Env>;
