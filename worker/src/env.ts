import type { Role } from "@tianbao/shared";

/** The signed-in caller, with the path of its unit for subtree scoping in SQL. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: string;
  unitPath: string;
  unitName: { zh: string; en: string };
  tokenHash: string;
  mustChangePassword: boolean;
}

export interface AppEnv {
  Bindings: Env & {
    DEMO_SEED?: string;
    /** Hosts a group-robot webhook may point at besides WeCom's and DingTalk's, over http too: tests only. */
    REMINDER_TEST_HOSTS?: string;
    /** "on" only under `npm run bench`: D1 rows per request in response headers. */
    D1_METER?: string;
    /** Remind units from this many days before the deadline (default 3). */
    REMINDER_DAYS_BEFORE?: string;
  };
  Variables: { user: SessionUser };
}
