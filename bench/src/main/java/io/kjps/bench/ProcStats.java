package io.kjps.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from Linux's /proc. */
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
}
