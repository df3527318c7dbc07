// A Slack export as a flat list of files, whether it is a folder or a .zip. Both may wrap the
// export in one top-level folder (that is what "Compress" in Finder or Explorer produces), so the
// export root is found rather than assumed.
import { open as openFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { Entry, ZipFile } from "yauzl";
import yauzl from "yauzl";

export interface ExportFile {
  /** Path inside the export root, "/"-separated: "general/2026-01-05.json". */
  path: string;
  /** Uncompressed size in bytes. */
  size: number;
}

export interface ExportSource {
  kind: "folder" | "zip";
  /** Every file under the export root, in no particular order. Junk (dotfiles, __MACOSX) is left out. */
  files: ExportFile[];
  /** Files outside the export root (zips that hold more than the export), for reporting. */
  outside: string[];
  open(path: string): Promise<Readable>;
  close(): Promise<void>;
}

/** The export can't be opened at all. The message is meant for the person running the import. */
export class SlackExportError extends Error {
  override name = "SlackExportError";
}

/** Files only a Slack export root holds; finding one tells us where the root is. */
export const ROOT_MARKERS = new Set([
  "users.json",
  "channels.json",
  "groups.json",
  "mpims.json",
  "dms.json",
  "org_users.json",
  "integration_logs.json",
]);

const MIN_CHUNK = 4 * 1024;
const MAX_CHUNK = 256 * 1024;

function isJunk(name: string): boolean {
  return name.startsWith(".") || name === "__MACOSX";
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function listFolder(root: string, depth: number): Promise<ExportFile[]> {
  const files: ExportFile[] = [];
  async function walk(dir: string, prefix: string, level: number): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        if (isJunk(entry.name)) return;
        const full = join(dir, entry.name);
        const path = prefix + entry.name;
        if (entry.isDirectory()) {
          if (level < depth) await walk(full, `${path}/`, level + 1);
        } else if (entry.isFile()) {
          files.push({ path, size: (await stat(full)).size });
        }
      }),
    );
  }
  await walk(root, "", 1);
  return files;
}

async function openFolder(path: string): Promise<ExportSource> {
  let root = path;
  // Channel folders hold day files, and nothing Slack writes is nested deeper.
  let files = await listFolder(root, 2);
  if (!files.some((f) => ROOT_MARKERS.has(f.path))) {
    const entries = (await readdir(root, { withFileTypes: true })).filter((e) => !isJunk(e.name));
    const only = entries[0];
    if (entries.length === 1 && only?.isDirectory()) {
      const inner = await listFolder(join(root, only.name), 2);
      if (inner.some((f) => ROOT_MARKERS.has(f.path))) {
        root = join(root, only.name);
        files = inner;
      }
    }
  }
  const sizes = new Map(files.map((f) => [f.path, f.size]));
  return {
    kind: "folder",
    files,
    outside: [],
    open: async (file) => {
      // Opening first makes a missing file fail here rather than later inside a pipeline.
      const handle = await openFile(join(root, ...file.split("/")), "r");
      // Each stream allocates its chunk size up front: thousands of small day files with 256 KB
      // chunks spend most of their time in the garbage collector.
      const size = sizes.get(file) ?? MAX_CHUNK;
      return handle.createReadStream({ highWaterMark: Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, size + 1)) });
    },
    close: async () => {},
  };
}

/** Directory (with trailing "/") that holds the export inside the zip, or "" for the zip root. */
function zipRoot(names: string[]): string {
  let best: string | null = null;
  for (const name of names) {
    const slash = name.lastIndexOf("/");
    if (!ROOT_MARKERS.has(name.slice(slash + 1))) continue;
    const dir = name.slice(0, slash + 1);
    if (best === null || dir.split("/").length < best.split("/").length) best = dir;
  }
  if (best !== null) return best;
  // No metadata at all (a DM-only export without dms.json): strip a single wrapping folder.
  const tops = new Set(names.map((n) => (n.includes("/") ? n.slice(0, n.indexOf("/") + 1) : "")));
  const [top] = tops;
  return tops.size === 1 && top !== undefined ? top : "";
}

/** yauzl's refusals of entry names that would land outside the folder they are unpacked to. */
const UNSAFE_NAME_ERRORS: ReadonlyArray<{ prefix: string; why: string }> = [
  { prefix: "invalid relative path: ", why: "a path that climbs out of the archive" },
  { prefix: "absolute path: ", why: "an absolute path" },
  { prefix: "invalid characters in fileName: ", why: "a backslash in the name" },
];

function unsafeEntryName(message: string): { name: string; why: string } | null {
  for (const { prefix, why } of UNSAFE_NAME_ERRORS)
    if (message.startsWith(prefix)) return { name: message.slice(prefix.length), why };
  return null;
}

async function openZip(path: string): Promise<ExportSource> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: false });
  } catch (error) {
    throw new SlackExportError(`${path} is not a readable zip archive: ${reason(error)}`);
  }
  const entries = new Map<string, Entry>();
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (name.endsWith("/") || name.split("/").some(isJunk)) continue;
      entries.set(name, entry);
    }
  } catch (error) {
    zip.close();
    const unsafe = unsafeEntryName(reason(error));
    if (unsafe)
      throw new SlackExportError(
        `${path} holds an entry named "${unsafe.name}" (${unsafe.why}), which no Slack export does; nothing was imported`,
      );
    throw new SlackExportError(`${path} is a damaged zip archive: ${reason(error)}`);
  }
  const root = zipRoot([...entries.keys()]);
  const files: ExportFile[] = [];
  const outside: string[] = [];
  const byPath = new Map<string, Entry>();
  for (const [name, entry] of entries) {
    if (!name.startsWith(root)) {
      outside.push(name);
      continue;
    }
    const rel = name.slice(root.length);
    files.push({ path: rel, size: entry.uncompressedSize });
    byPath.set(rel, entry);
  }
  return {
    kind: "zip",
    files,
    outside,
    open: async (file) => {
      const entry = byPath.get(file);
      if (!entry) throw new Error(`${file} is not in the archive`);
      return zip.openReadStreamPromise(entry);
    },
    close: async () => {
      if (zip.isOpen) zip.close();
    },
  };
}

async function isZipFile(path: string): Promise<boolean> {
  const handle = await openFile(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    // Local file header, or the end-of-central-directory record of an empty archive.
    return (
      bytesRead === 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && (buffer[2] === 3 || buffer[2] === 5)
    );
  } finally {
    await handle.close();
  }
}

export async function openExportSource(path: string): Promise<ExportSource> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new SlackExportError(`${path} does not exist or cannot be read`);
  }
  try {
    if (info.isDirectory()) return await openFolder(path);
    if (info.isFile()) {
      if (await isZipFile(path)) return await openZip(path);
      throw new SlackExportError(
        `${path} is a file but not a .zip archive; give the export folder or its .zip`,
      );
    }
  } catch (error) {
    if (error instanceof SlackExportError) throw error;
    throw new SlackExportError(`cannot read ${path}: ${reason(error)}`);
  }
  throw new SlackExportError(`${path} is neither a folder nor a .zip archive`);
}
