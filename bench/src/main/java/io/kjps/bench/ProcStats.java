package io.kjps.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU time, context switches and resident memory of a process, from Linux's /proc. */
final class ProcStats {
    /** USER_HZ: the unit of utime and stime in /proc/PID/stat (100 on every Linux build in use). */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /**
     * @param pid a process id
     * @return user + system CPU time in clock ticks, or -1 when the process is gone
     */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces: count from the closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 (utime) and 15 (stime)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * @param pid a process id
     * @return VmRSS in kB, or -1 when the process is gone
     */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /**
     * The context switches of all threads of a process: {@code voluntary_ctxt_switches} (the thread blocked: a read
     * with nothing to read, a lock, a park) and {@code nonvoluntary_ctxt_switches} (preempted), summed over
     * {@code /proc/<pid>/task/<tid>/status}. Threads that ended are no longer counted.
     *
     * @param pid a process id
     * @return {voluntary, nonvoluntary}, or {-1, -1} when the process is gone
     */
    static long[] contextSwitches(long pid) {
        long[] sum = new long[2];
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            sum[0] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            sum[1] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // the thread ended between the listing and the read
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }
}
