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
  Bindings: Env & { DEMO_SEED?: string };
  Variables: { user: SessionUser };
}
