/** Readers for /proc/<pid>: CPU time and resident memory of a process. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks;

/** Clock ticks per second (`getconf CLK_TCK`, almost always 100). */
export function clkTck() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime + stime of a process in seconds, or NaN when it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / clkTck();
  } catch {
    return NaN;
  }
}

/** VmRSS of a process in bytes, or NaN. */
export function rssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The soft and hard open-files limits of a process. */
export function openFilesLimit(pid = 'self') {
  try {
    const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
    const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
    const parse = (value) => (value === 'unlimited' ? Infinity : Number(value));
    return match ? { soft: parse(match[1]), hard: parse(match[2]) } : undefined;
  } catch {
    return undefined;
  }
}

/** A CPU meter over several processes: `start()`, then `read()` gives % of one core each. */
export function cpuMeter(pids) {
  let started = [];
  let at = 0;
  return {
    start() {
      started = pids.map(cpuSeconds);
      at = performance.now();
    },
    /** Seconds of CPU each process used since start, and the wall time in seconds. */
    read() {
      const wall = (performance.now() - at) / 1000;
      const used = pids.map((pid, index) => cpuSeconds(pid) - started[index]);
      return { wall, used, percent: used.map((seconds) => (100 * seconds) / wall) };
    },
  };
}

/**
 * Busy (user+nice+system) and steal seconds of each CPU, from one read of /proc/stat, indexed
 * by CPU number. Steal is the time a CPU was ready to run while the hypervisor ran something
 * else (the eighth field; 0 on bare metal).
 */
function cpuTimes() {
  const times = [];
  try {
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      const match = /^cpu(\d+)\s+([\d\s]+)$/.exec(line);
      if (!match) continue;
      const [user, nice, system, , , , , steal = 0] = match[2]
        .trim()
        .split(/\s+/)
        .map((n) => Number(n) / clkTck());
      times[Number(match[1])] = { busy: user + nice + system, steal };
    }
  } catch {
    // not Linux
  }
  return times;
}

/**
 * How busy each CPU was with processes other than ours, and how much of it the hypervisor
 * took (% of that CPU): either makes figures unreliable. `ours` maps a CPU number to the pids
 * pinned there.
 */
export function foreignMeter(ours) {
  let timesStart = [];
  let oursStart = new Map();
  let at = 0;
  const ownSeconds = (cpu) => ours[cpu].reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  return {
    start() {
      timesStart = cpuTimes();
      oursStart = new Map(Object.keys(ours).map((cpu) => [cpu, ownSeconds(cpu)]));
      at = performance.now();
    },
    read() {
      const wall = (performance.now() - at) / 1000;
      const times = cpuTimes();
      const foreign = {};
      const stolen = {};
      for (const cpu of Object.keys(ours)) {
        const [now, then] = [times[cpu], timesStart[cpu]];
        const total = (now?.busy ?? NaN) - (then?.busy ?? NaN);
        const mine = ownSeconds(cpu) - oursStart.get(cpu);
        foreign[cpu] = Math.max(0, (100 * (total - mine)) / wall);
        stolen[cpu] = Math.max(0, (100 * ((now?.steal ?? 0) - (then?.steal ?? 0))) / wall);
      }
      return { foreign, stolen };
    },
  };
}

/** Named counters from a /proc/net file laid out as header line + value line per prefix. */
function netCounters(file, prefix) {
  try {
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith(`${prefix}:`));
    const names = lines[0].split(/\s+/).slice(1);
    const values = lines[1].split(/\s+/).slice(1).map(Number);
    return Object.fromEntries(names.map((name, i) => [name, values[i]]));
  } catch {
    return {};
  }
}

/**
 * Machine-wide counters that explain latency the processes' CPU cannot: packets the kernel
 * dropped before TCP saw them (/proc/net/softnet_stat), TCP retransmission timeouts and
 * retransmitted segments, and time all tasks were stalled on I/O (/proc/pressure/io).
 */
export function systemCounters() {
  let dropped = 0;
  try {
    for (const line of readFileSync('/proc/net/softnet_stat', 'utf8').trim().split('\n')) {
      dropped += parseInt(line.split(/\s+/)[1], 16);
    }
  } catch {
    dropped = NaN;
  }
  let ioFullUs = NaN;
  try {
    const match = /^full .*total=(\d+)/m.exec(readFileSync('/proc/pressure/io', 'utf8'));
    if (match) ioFullUs = Number(match[1]);
  } catch {
    // no PSI
  }
  return {
    dropped,
    tcpTimeouts: netCounters('/proc/net/netstat', 'TcpExt').TCPTimeouts ?? NaN,
    retransSegs: netCounters('/proc/net/snmp', 'Tcp').RetransSegs ?? NaN,
    ioFullUs,
  };
}

/** Differences of `systemCounters()` over a window. */
export function systemMeter() {
  let before = systemCounters();
  return {
    start() {
      before = systemCounters();
    },
    read() {
      const after = systemCounters();
      return {
        dropped: after.dropped - before.dropped,
        tcpTimeouts: after.tcpTimeouts - before.tcpTimeouts,
        retransSegs: after.retransSegs - before.retransSegs,
        ioStallMs: (after.ioFullUs - before.ioFullUs) / 1000,
      };
    },
  };
}
