import { Hono } from "hono";
import type { AppEnv } from "../env";
import { seedDemo, seedProvinceDemo } from "../demo/seed";

export const demoRoutes = new Hono<AppEnv>();

// Local demo only: `npm start` runs wrangler dev with DEMO_SEED=on. Without it this route does not exist.
demoRoutes.post("/demo/seed", async (c) => {
  if (c.env.DEMO_SEED !== "on") return c.notFound();
  const city = await seedDemo(c.env.DB);
  const province = await seedProvinceDemo(c.env.DB);
  return c.json({ created: [...city.created, ...province.created] });
});
