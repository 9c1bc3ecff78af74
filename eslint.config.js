// @ts-check
import tseslint from "typescript-eslint";

const viaEntry = { group: ["**/shared/src/**", "../shared/**", "../../shared/**"], message: "Import shared through its entry: @tianbao/shared." };

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/.wrangler/**", "worker/worker-configuration.d.ts", "test-output/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { varsIgnorePattern: "^_", argsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // The pure core: no runtime, no framework, nothing of the sides that use it.
    files: ["shared/src/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["node:*", "cloudflare:*", "hono", "hono/*", "exceljs", "@tianbao/*", "**/worker/**", "**/addin/**"], message: "shared/ is pure: zod and TypeScript only." },
      ] }],
      "no-restricted-globals": ["error", "window", "document", "Office", "Excel", "fetch", "crypto", "process", "Buffer"],
    },
  },
  {
    files: ["worker/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [viaEntry, { group: ["**/addin/**", "@tianbao/addin"], message: "The Worker never imports the add-in." }] }],
    },
  },
  {
    files: ["addin/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [viaEntry, { group: ["**/worker/**", "@tianbao/worker", "hono", "hono/*"], message: "The add-in never imports the Worker." }] }],
    },
  },
);
