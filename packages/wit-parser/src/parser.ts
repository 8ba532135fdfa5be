// A recursive-descent parser for WIT text: the text tool authors write and the text that
// wasm-tools prints when it decodes a component (nested `package x { ... }` blocks included).
import { tokenize } from "./lexer.js";
import { PRIMITIVES, type Case, type Field, type Func, type Interface, type Named, type Package, type PrimitiveName, type Scope, type TypeDef, type TypeExpr, type World } from "./model.js";
import { TokenStream } from "./token-stream.js";

/** Parses one WIT file. A file may hold its own package and further nested packages. */
export function parseWit(source: string, file?: string): Package[] {
  return new Parser(tokenize(source, file), file).parseFile();
}

class Parser extends TokenStream {
  parseFile(): Package[] {
    const main: Package = { interfaces: [], worlds: [], aliases: [] };
    const packages = [main];
    // Gates such as @since(...) may precede anything.
    this.skipGates();
    if (this.peekIs("package")) {
      const docs = this.peek().docs;
      this.next();
      const name = this.packageName();
      if (this.eat("{")) {
        const nested: Package = { name, docs, interfaces: [], worlds: [], aliases: [] };
        this.packageBody(nested, "}");
        packages.push(nested);
      } else {
        this.expect(";");
        main.name = name;
        main.docs = docs;
      }
    }
    while (!this.peekIs("eof")) {
      this.skipGates();
      if (this.peekIs("package")) {
        const docs = this.next().docs;
        const nested: Package = { name: this.packageName(), docs, interfaces: [], worlds: [], aliases: [] };
        this.expect("{");
        this.packageBody(nested, "}");
        packages.push(nested);
      } else {
        this.packageItem(main);
      }
    }
    return packages.filter((p) => p !== main || p.name || p.interfaces.length || p.worlds.length);
  }

  private packageBody(pkg: Package, close: string): void {
    while (!this.eat(close)) this.packageItem(pkg);
  }

  private packageItem(pkg: Package): void {
    this.skipGates();
    const token = this.next();
    if (token.text === "interface") {
      pkg.interfaces.push(this.interfaceBody(this.id(), token.docs));
    } else if (token.text === "world") {
      pkg.worlds.push(this.worldBody(this.id(), token.docs));
    } else if (token.text === "use") {
      const path = this.usePath();
      const as = this.eat("as") ? this.id() : (path.split("/").pop() ?? path).replace(/@.*/, "");
      this.expect(";");
      pkg.aliases.push({ path, as });
    } else {
      this.fail(token, "expected `interface`, `world`, `use` or `package`");
    }
  }

  private interfaceBody(name: string, docs?: string): Interface {
    const iface: Interface = { name, docs, types: [], uses: [], functions: [] };
    this.expect("{");
    while (!this.eat("}")) {
      this.skipGates();
      const start = this.peek();
      if (this.scopeItem(iface)) continue;
      const fname = this.id();
      this.expect(":");
      iface.functions.push(this.funcSignature(fname, start.docs));
    }
    return iface;
  }

  private worldBody(name: string, docs?: string): World {
    const world: World = { name, docs, types: [], uses: [], items: [], includes: [] };
    this.expect("{");
    while (!this.eat("}")) {
      this.skipGates();
      const start = this.peek();
      if (this.scopeItem(world)) continue;
      const keyword = this.next();
      if (keyword.text === "include") {
        world.includes.push(this.usePath());
        if (this.eat("with")) this.skipBalanced("{", "}");
        this.expect(";");
        continue;
      }
      if (keyword.text !== "import" && keyword.text !== "export") {
        this.fail(keyword, "expected `import`, `export`, `include`, `use` or a type definition");
      }
      const direction = keyword.text as "import" | "export";
      // `import name: func(...)`, `import name: interface {...}`, or `import a:b/c@1.0.0;`
      if (this.peek().kind === "id" && this.peekAt(1).text === ":" && !this.isPackagePathAhead()) {
        const itemName = this.id();
        this.expect(":");
        if (this.peekIs("interface")) {
          this.next();
          world.items.push({ direction, kind: "interface", name: itemName, docs: start.docs, inline: this.interfaceBody(itemName, start.docs) });
        } else {
          world.items.push({ direction, kind: "function", func: this.funcSignature(itemName, start.docs) });
        }
      } else {
        world.items.push({ direction, kind: "interface", name: this.usePath(), docs: start.docs });
        this.expect(";");
      }
    }
    return world;
  }

  /** `use` statements and type definitions, shared by interfaces and worlds. */
  private scopeItem(scope: Scope): boolean {
    const token = this.peek();
    switch (token.text) {
      case "use": {
        this.next();
        const from = this.usePath();
        this.expect(".");
        this.expect("{");
        const names: { name: string; as: string }[] = [];
        do {
          if (this.peekIs("}")) break;
          const name = this.id();
          names.push({ name, as: this.eat("as") ? this.id() : name });
        } while (this.eat(","));
        this.expect("}");
        this.expect(";");
        scope.uses.push({ from, names });
        return true;
      }
      case "type": {
        this.next();
        const name = this.id();
        this.expect("=");
        const target = this.typeExpr();
        this.expect(";");
        scope.types.push({ name, docs: token.docs, body: { kind: "alias", target } });
        return true;
      }
      case "record":
      case "variant":
      case "enum":
      case "flags":
      case "resource":
        this.next();
        scope.types.push(this.typeDef(token.text, token.docs));
        return true;
      default:
        return false;
    }
  }

  private typeDef(kind: string, docs?: string): TypeDef {
    const name = this.id();
    if (kind === "resource") {
      if (!this.eat(";")) this.skipBalanced("{", "}");
      return { name, docs, body: { kind: "resource" } };
    }
    this.expect("{");
    const members: (Field | Case | Named)[] = [];
    while (!this.eat("}")) {
      this.skipGates();
      const start = this.peek();
      const memberName = this.id();
      if (kind === "record") {
        this.expect(":");
        members.push({ name: memberName, type: this.typeExpr(), docs: start.docs });
      } else if (kind === "variant" && this.eat("(")) {
        members.push({ name: memberName, type: this.typeExpr(), docs: start.docs });
        this.expect(")");
      } else {
        members.push({ name: memberName, docs: start.docs });
      }
      if (!this.eat(",")) {
        this.expect("}");
        break;
      }
    }
    if (kind === "record") return { name, docs, body: { kind, fields: members as Field[] } };
    if (kind === "variant") return { name, docs, body: { kind, cases: members as Case[] } };
    if (kind === "enum") return { name, docs, body: { kind, cases: members } };
    return { name, docs, body: { kind: "flags", flags: members } };
  }

  private funcSignature(name: string, docs?: string): Func {
    const isAsync = this.eat("async");
    if (!this.eat("func")) this.fail(this.peek(), "expected `func`");
    this.expect("(");
    const params: Func["params"] = [];
    while (!this.eat(")")) {
      const start = this.peek();
      const paramName = this.id();
      this.expect(":");
      params.push({ name: paramName, type: this.typeExpr(), docs: start.docs });
      if (!this.eat(",")) {
        this.expect(")");
        break;
      }
    }
    const func: Func = { name, docs, params };
    if (isAsync) func.async = true;
    if (this.eat("->")) func.result = this.typeExpr();
    this.expect(";");
    return func;
  }

  private typeExpr(): TypeExpr {
    const token = this.next();
    if (token.kind !== "id") this.fail(token, "expected a type");
    const name = token.text;
    if (PRIMITIVES.has(name)) return { kind: "primitive", name: name as PrimitiveName };
    switch (name) {
      case "list": {
        this.expect("<");
        const element = this.typeExpr();
        const length = this.eat(",") ? Number(this.expectKind("integer").text) : undefined;
        this.expect(">");
        return length === undefined ? { kind: "list", element } : { kind: "list", element, length };
      }
      case "option": {
        this.expect("<");
        const inner = this.typeExpr();
        this.expect(">");
        return { kind: "option", inner };
      }
      case "result": {
        if (!this.eat("<")) return { kind: "result" };
        const ok = this.eat("_") ? undefined : this.typeExpr();
        const err = this.eat(",") ? this.typeExpr() : undefined;
        this.expect(">");
        return { kind: "result", ok, err };
      }
      case "tuple": {
        this.expect("<");
        const items: TypeExpr[] = [];
        do items.push(this.typeExpr());
        while (this.eat(","));
        this.expect(">");
        return { kind: "tuple", items };
      }
      case "own":
      case "borrow": {
        this.expect("<");
        const resource = this.id();
        this.expect(">");
        return { kind: "handle", mode: name, resource };
      }
      case "future":
      case "stream": {
        if (!this.eat("<")) return { kind: name };
        const inner = this.typeExpr();
        this.expect(">");
        return { kind: name, inner };
      }
      default:
        return { kind: "ref", name };
    }
  }

  /** `name`, `ns:pkg/iface`, `ns:pkg/iface@1.2.3`, or `ns:pkg@1.2.3` in package lines. */
  private usePath(): string {
    let path = this.id();
    if (this.eat(":")) {
      path += `:${this.id()}`;
      while (this.eat("/")) path += `/${this.id()}`;
    }
    if (this.eat("@")) path += `@${this.expectKind("version").text}`;
    return path;
  }

  private packageName(): string {
    return this.usePath();
  }

  private isPackagePathAhead(): boolean {
    // `import wasi:cli/environment@0.2.0;` starts `id : id /`, a named item is `id : func|interface|async`.
    const after = this.peekAt(2);
    return after.kind === "id" && !["func", "interface", "async"].includes(after.text);
  }
}
