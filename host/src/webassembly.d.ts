// The part of the WebAssembly JS API the host uses (@types/node 20 does not declare it).
declare namespace WebAssembly {
  type ExternKind = "function" | "table" | "memory" | "global" | "tag";
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
    static imports(module: Module): { module: string; name: string; kind: ExternKind }[];
    static exports(module: Module): { name: string; kind: ExternKind }[];
  }
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class RuntimeError extends Error {}
  type Imports = Record<string, Record<string, unknown>>;
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
