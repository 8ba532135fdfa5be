// The part of wasi:filesystem this tool uses, as componentize-js binds it.
declare module "wasi:filesystem/preopens@0.2.12" {
  export interface DescriptorStat {
    type: string;
    size: bigint;
    dataModificationTimestamp?: { seconds: bigint; nanoseconds: number };
  }
  export interface DirectoryEntryStream {
    readDirectoryEntry(): { type: string; name: string } | undefined;
  }
  export interface Descriptor {
    openAt(pathFlags: { symlinkFollow?: boolean }, path: string, openFlags: { directory?: boolean }, flags: { read?: boolean }): Descriptor;
    stat(): DescriptorStat;
    statAt(pathFlags: { symlinkFollow?: boolean }, path: string): DescriptorStat;
    read(length: bigint, offset: bigint): [Uint8Array, boolean];
    readDirectory(): DirectoryEntryStream;
  }
  export function getDirectories(): Array<[Descriptor, string]>;
}

declare module "airlock:tool/access@0.1.0" {
  export function outsideGrants(path: string, directory: string, access: "read" | "write"): void;
}
