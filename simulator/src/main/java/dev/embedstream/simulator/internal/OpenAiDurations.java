package dev.embedstream.simulator.internal;

/** Formats waits the way OpenAI's {@code x-ratelimit-reset-*} headers do ("120ms", "1s", "2.5s", "6m0s"). */
final class OpenAiDurations {

    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long MILLIS_PER_SECOND = 1_000L;
    private static final long MILLIS_PER_MINUTE = 60_000L;
    private static final long MILLIS_PER_HOUR = 3_600_000L;

    private OpenAiDurations() {
    }

    /** Go's {@code time.Duration} notation at millisecond resolution, rounded up so a client waiting that long is never early. */
    static String format(long nanos) {
        long millis = ceilMillis(nanos);
        if (millis == 0) {
            return "0s";
        }
        if (millis < MILLIS_PER_SECOND) {
            return millis + "ms";
        }
        return hoursAndMinutes(millis) + seconds(millis % MILLIS_PER_MINUTE) + "s";
    }

    /** Whole milliseconds, rounded up; never negative. */
    static long ceilMillis(long nanos) {
        return nanos <= 0 ? 0 : (nanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI;
    }

    /** Whole seconds, rounded up: what the integer {@code retry-after} header must say. */
    static long ceilSeconds(long nanos) {
        long millis = ceilMillis(nanos);
        return (millis + MILLIS_PER_SECOND - 1) / MILLIS_PER_SECOND;
    }

    // Go prints the minutes field as soon as there are hours, hence "1h0m0s".
    private static String hoursAndMinutes(long millis) {
        long hours = millis / MILLIS_PER_HOUR;
        long minutes = (millis % MILLIS_PER_HOUR) / MILLIS_PER_MINUTE;
        if (hours > 0) {
            return hours + "h" + minutes + "m";
        }
        return minutes > 0 ? minutes + "m" : "";
    }

    private static String seconds(long millisOfMinute) {
        long whole = millisOfMinute / MILLIS_PER_SECOND;
        long fraction = millisOfMinute % MILLIS_PER_SECOND;
        if (fraction == 0) {
            return Long.toString(whole);
        }
        String digits = String.format("%03d", fraction).replaceFirst("0+$", "");
        return whole + "." + digits;
    }
}
