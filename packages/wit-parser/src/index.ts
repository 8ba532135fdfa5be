export { tokenize, WitSyntaxError, type Token } from "./lexer.js";
export { parseWit } from "./parser.js";
export { exportedFunctions, findWorld, importedInterfaces, WitResolveError, type ExportedFunction, type ResolvedParam, type ResolvedType } from "./resolve.js";
export { printableInterfaceName, withPrintableNames, type PrintableComponent } from "./printable-names.js";
export { encodeCustomSection, isComponent, readCustomSections, removeCustomSections, replaceCustomSections, type CustomSection } from "./sections.js";
export { DECODED_WORLD_NAME, PACKAGE_DOCS_SECTION, AIRLOCK_DOCS_SECTION, airlockDocsFor, decodeAirlockDocs, encodePackageDocs, packageDocsFor, type AirlockDocs } from "./docs.js";
export type * from "./model.js";
