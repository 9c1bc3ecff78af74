// Who set a unit's phone decides whether a group robot @-mentions it (issue 21). A city that
// confirms the phone a county entered makes it one its robot may mention, and the audit trail says
// so, so that replaying the audit (as restoring a backup does) ends with the same setter.
import { beforeAll, describe, expect, it } from "vitest";
import { api, ensureDemo, env, login } from "./helpers";

beforeAll(async () => { await ensureDemo(); });

const setter = (unit: string) => env.DB.prepare("SELECT contact_phone, contact_phone_set, contact_phone_set_by FROM units WHERE id = ?").bind(unit).first<{ contact_phone: string; contact_phone_set: string | null; contact_phone_set_by: string | null }>();
const contactAudits = (unit: string) => env.DB.prepare("SELECT detail FROM audit WHERE action = 'unit_contact' AND unit_id = ? ORDER BY id").bind(unit).all<{ detail: string }>().then((r) => r.results.map((x) => JSON.parse(x.detail) as { fields: Record<string, unknown> }));

describe("PUT /api/units/:id/contact", () => {
  it("a city confirming the phone its county entered becomes its setter, and the audit records the confirmation", async () => {
    const admin = await login("admin");
    // as a write by the county's own administrator leaves it (the demo has no county administrator)
    await env.DB.prepare("UPDATE units SET contact_phone = '13911112222', contact_phone_set = '13911112222', contact_phone_set_by = path WHERE id = 'zezhou'").run();
    const before = (await contactAudits("zezhou")).length;
    const r = await api("/units/zezhou/contact", { method: "PUT", token: admin, json: { name: "王科长", phone: "13911112222" } });
    expect(r.status, await r.clone().text()).toBe(200);
    const s = await setter("zezhou");
    expect(s?.contact_phone_set_by).toBe("/shanxi/jincheng/");
    const audits = await contactAudits("zezhou");
    expect(audits.length).toBe(before + 1);
    expect(audits.at(-1)!.fields.contactPhone).toEqual(["13911112222", "13911112222"]);
    // saving the same again changes nothing and records nothing
    expect((await api("/units/zezhou/contact", { method: "PUT", token: admin, json: { name: "王科长", phone: "13911112222" } })).status).toBe(200);
    expect((await contactAudits("zezhou")).length).toBe(before + 1);
  });
});
