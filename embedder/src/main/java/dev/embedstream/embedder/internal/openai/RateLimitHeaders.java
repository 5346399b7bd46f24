package dev.embedstream.embedder.internal.openai;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The provider's rate-limit headers, parsed leniently: a missing or odd header is just absent. */
public record RateLimitHeaders(Long limitRequests, Long remainingRequests, Long limitTokens, Long remainingTokens,
                               Duration retryAfter) {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    public static final RateLimitHeaders NONE = new RateLimitHeaders(null, null, null, null, null);

    /** Reads headers through a lookup that returns all values of a (case-insensitive) name. */
    public static RateLimitHeaders from(Function<String, List<String>> header) {
        return new RateLimitHeaders(
                number(first(header, "x-ratelimit-limit-requests")),
                number(first(header, "x-ratelimit-remaining-requests")),
                number(first(header, "x-ratelimit-limit-tokens")),
                number(first(header, "x-ratelimit-remaining-tokens")),
                retryAfter(first(header, "retry-after-ms"), first(header, "retry-after")));
    }

    /** OpenAI's reset format: {@code 1s}, {@code 6m0s}, {@code 120ms}, {@code 2.5s}. */
    public static Duration parseReset(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = DURATION_PART.matcher(value.trim());
        double millis = 0;
        boolean any = false;
        while (m.find()) {
            any = true;
            double n = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
        }
        return any ? Duration.ofMillis((long) Math.ceil(millis)) : null;
    }

    private static Duration retryAfter(String millis, String seconds) {
        Long ms = number(millis);
        if (ms != null) {
            return Duration.ofMillis(ms);
        }
        if (seconds == null) {
            return null;
        }
        try {
            return Duration.ofMillis((long) Math.ceil(Double.parseDouble(seconds.trim()) * 1000));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: treat as absent, the caller falls back to its own backoff
        }
    }

    private static String first(Function<String, List<String>> header, String name) {
        List<String> values = header.apply(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Long number(String value) {
        if (value == null) {
            return null;
        }
        try {
            return (long) Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
