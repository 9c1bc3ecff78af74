import { BUILTIN_TEMPLATE, compileTemplate, TemplateSchema, type CompiledTemplate, type TemplateInput } from "@tianbao/shared";

/** Compiles a template or fails the test with the template's own issues. */
export function compiled(input: TemplateInput = BUILTIN_TEMPLATE): CompiledTemplate {
  const r = compileTemplate(TemplateSchema.parse(input));
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message.en}`).join("\n"));
  return r.compiled;
}
