// A small ELF reader: the machine a binary is for, the libraries it links (DT_NEEDED is not read; the
// version needs name them) and the symbol versions it needs from each (.gnu.version_r, SHT_GNU_verneed).
// That is how a release artifact's C library need is known: `GLIBC_2.34` in containerd's version needs
// means it runs on glibc 2.34 and newer, never on Debian 11's 2.31. Read at build time, never typed.
// Layout: https://refspecs.linuxfoundation.org/LSB_5.0.0/LSB-Core-generic/LSB-Core-generic/symversion.html
// and the ELF-64 object file format (section headers).

export class ElfError extends Error {}

export interface VersionNeed {
  /** The library, e.g. "libc.so.6". */
  file: string;
  /** Version names needed from it, e.g. ["GLIBC_2.2.5", "GLIBC_2.34"]. */
  versions: string[];
}

export interface ElfInfo {
  /** e_machine: "x86-64", "aarch64", or the raw number for any other. */
  machine: string;
  bits: 32 | 64;
  /** Empty for a static binary. */
  needs: VersionNeed[];
}

const SHT_GNU_VERNEED = 0x6ffffffe;
const MACHINES: Record<number, string> = { 3: "x86", 40: "arm", 62: "x86-64", 183: "aarch64" };

export function readElf(buf: Buffer): ElfInfo {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) throw new ElfError("not an ELF file (no \\x7fELF magic)");
  const cls = buf[4];
  const data = buf[5];
  if (cls !== 1 && cls !== 2) throw new ElfError(`unknown ELF class ${cls}`);
  if (data !== 1 && data !== 2) throw new ElfError(`unknown ELF data encoding ${data}`);
  const le = data === 1;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o: number) => Number(le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o));
  const is64 = cls === 2;
  const word = is64 ? u64 : u32;
  const machineNo = u16(18);
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const section = (i: number) => {
    const base = shoff + i * shentsize;
    if (base + shentsize > buf.length) throw new ElfError(`section header ${i} lies past the end of the file`);
    return is64
      ? { type: u32(base + 4), offset: u64(base + 0x18), size: u64(base + 0x20), link: u32(base + 0x28), info: u32(base + 0x2c) }
      : { type: u32(base + 4), offset: u32(base + 0x10), size: u32(base + 0x14), link: u32(base + 0x18), info: u32(base + 0x1c) };
  };
  const needs: VersionNeed[] = [];
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (s.type !== SHT_GNU_VERNEED) continue;
    const strtab = section(s.link);
    const str = (off: number) => {
      const start = strtab.offset + off;
      const end = buf.indexOf(0, start);
      if (start >= buf.length || end < 0 || end > strtab.offset + strtab.size) throw new ElfError("a version name lies outside its string table");
      return buf.toString("latin1", start, end);
    };
    // sh_info = the number of Verneed entries; each links to its Vernaux list by relative offsets.
    let at = s.offset;
    for (let n = 0; n < s.info; n++) {
      if (at + 16 > s.offset + s.size) throw new ElfError(".gnu.version_r is truncated");
      const cnt = u16(at + 2);
      const versions: string[] = [];
      let aux = at + u32(at + 8);
      for (let k = 0; k < cnt; k++) {
        versions.push(str(u32(aux + 8)));
        aux += u32(aux + 12);
      }
      needs.push({ file: str(u32(at + 4)), versions });
      const next = u32(at + 12);
      if (next === 0) break;
      at += next;
    }
  }
  return { machine: MACHINES[machineNo] ?? String(machineNo), bits: is64 ? 64 : 32, needs };
}

/** "2.34" from GLIBC_2.34 / "2.2" from GLIBC_2.2.5: MAJOR.MINOR, which is what glibc releases are. */
const glibcOf = (name: string) => /^GLIBC_(\d+)\.(\d+)(?:\.\d+)?$/.exec(name);

/**
 * The newest glibc version any of these binaries needs, as MAJOR.MINOR, or null when none needs glibc
 * symbol versions (static binaries). GLIBC_PRIVATE is not a release and is skipped.
 */
export function glibcNeeded(infos: ElfInfo[]): string | null {
  let best: [number, number] | null = null;
  for (const info of infos) {
    for (const need of info.needs) {
      for (const v of need.versions) {
        const m = glibcOf(v);
        if (!m) continue;
        const cur: [number, number] = [Number(m[1]), Number(m[2])];
        if (!best || cur[0] > best[0] || (cur[0] === best[0] && cur[1] > best[1])) best = cur;
      }
    }
  }
  return best ? `${best[0]}.${best[1]}` : null;
}

/** The release-artifact arch name of an ELF machine ("x86-64" -> amd64). */
export function archOfMachine(machine: string): "amd64" | "arm64" | null {
  return machine === "x86-64" ? "amd64" : machine === "aarch64" ? "arm64" : null;
}
