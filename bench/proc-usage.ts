/**
 * CPU time and memory of a process and of its children, read from /proc (Linux only).
 * CPU seconds are user + system time; a child that has exited and been waited for counts
 * in its parent's cutime/cstime, so ffmpeg restarts are not lost from the children's share.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** Own user + system CPU, seconds. */
  cpuS: number;
  /** CPU of children that exited and were waited for, seconds. */
  reapedChildrenCpuS: number;
}

/** One reading of a process tree. */
export interface UsageSample {
  /** Own CPU of the process (all its threads), seconds since it started. */
  processCpuS: number;
  /** CPU of its descendants, live and exited, seconds. */
  childrenCpuS: number;
  /** Resident memory of the process alone, bytes. */
  rssBytes: number;
  /** Resident memory of its live descendants together, bytes. */
  childrenRssBytes: number;
  /** Live descendants (ffmpeg encoders and camera readers). */
  children: number;
}

/** Reads /proc/<pid>/stat; null when the process is gone. */
function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }

  // The command name is in parentheses and may hold spaces: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (number: number): number => Number(fields[number - 3]);
  return {
    pid,
    ppid: field(4),
    cpuS: (field(14) + field(15)) / TICKS_PER_S,
    reapedChildrenCpuS: (field(16) + field(17)) / TICKS_PER_S,
  };
}

/** Resident memory of a process in bytes (VmRSS), 0 when gone. */
function readRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every live descendant of `pid`, found by walking /proc's parent links. */
function descendantsOf(pid: number): ProcStat[] {
  const all: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) all.push(stat);
  }

  const found: ProcStat[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of all) {
      if (parents.has(stat.ppid) && !parents.has(stat.pid)) {
        parents.add(stat.pid);
        found.push(stat);
        grew = true;
      }
    }
  }
  return found;
}

/** Reads the CPU and memory of `pid` and its descendants; throws if `pid` is gone. */
export function sampleUsage(pid: number): UsageSample {
  const own = readStat(pid);
  if (!own) throw new Error(`process ${pid} is gone: no usage to read`);

  const children = descendantsOf(pid);
  return {
    processCpuS: own.cpuS,
    childrenCpuS: own.reapedChildrenCpuS + children.reduce((sum, child) => sum + child.cpuS + child.reapedChildrenCpuS, 0),
    rssBytes: readRssBytes(pid),
    childrenRssBytes: children.reduce((sum, child) => sum + readRssBytes(child.pid), 0),
    children: children.length,
  };
}

/** CPU used between two samples as a percentage of one core over `wallS` seconds. */
export function corePercent(before: UsageSample, after: UsageSample, wallS: number): { process: number; children: number } {
  return {
    process: ((after.processCpuS - before.processCpuS) / wallS) * 100,
    children: ((after.childrenCpuS - before.childrenCpuS) / wallS) * 100,
  };
}
