// One lint configuration for the whole workspace.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config({ ignores: ["**/dist/**", "**/node_modules/**", ".tools/**", "**/.turbo/**", "wit/**"] }, js.configs.recommended, ...tseslint.configs.recommended, {
  languageOptions: {
    globals: {
      console: "readonly",
      process: "readonly",
      URL: "readonly",
      TextEncoder: "readonly",
      TextDecoder: "readonly",
      performance: "readonly",
      setTimeout: "readonly",
      clearTimeout: "readonly",
      WebAssembly: "readonly",
      Buffer: "readonly",
    },
  },
  rules: {
    "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    "@typescript-eslint/no-namespace": "off",
  },
});
