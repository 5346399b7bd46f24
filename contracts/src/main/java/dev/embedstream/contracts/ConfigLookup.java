package dev.embedstream.contracts;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Typed reads over a {@code Function<String,String>} (the environment in production, a map in
 * tests). Blank counts as absent; every parse error names the key.
 */
public final class ConfigLookup {

    private final Function<String, String> source;

    public ConfigLookup(Function<String, String> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    public static ConfigLookup env() {
        return new ConfigLookup(System::getenv);
    }

    public static ConfigLookup of(Map<String, String> values) {
        return new ConfigLookup(values::get);
    }

    public String raw(String key) {
        String value = source.apply(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String string(String key, String defaultValue) {
        String value = raw(key);
        return value == null ? defaultValue : value;
    }

    public String required(String key) {
        String value = raw(key);
        if (value == null) {
            throw new ConfigException(key, "is required");
        }
        return value;
    }

    public int integer(String key, int defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + value + "' is not a whole number");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase()) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(key, "'" + value + "' is not true or false");
        };
    }

    /** Accepts ISO-8601 ({@code PT5S}) or a number with a unit: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
    public Duration duration(String key, Duration defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return parseDuration(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ConfigException(key, "'" + value + "' is not a duration (e.g. 250ms, 5s, 2m, PT1H)");
        }
    }

    /**
     * Parses ISO-8601 ({@code PT5S}) or a number with a unit ({@code 250ms}, {@code 5s}, {@code 2m},
     * {@code 1h}); throws {@link NumberFormatException} or {@link DateTimeParseException} otherwise.
     */
    public static Duration parseDuration(String value) {
        if (value.isBlank()) {
            throw new NumberFormatException("empty duration");
        }
        String v = value.toLowerCase();
        if (v.startsWith("pt") || v.startsWith("p")) {
            return Duration.parse(value.toUpperCase());
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new NumberFormatException(value);
        };
    }

    /** Fails with the key's name when a value is outside its range. */
    public static int requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    public static Duration requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(key, "must be a positive duration, got " + value);
        }
        return value;
    }

    public static String requireNonBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, "must not be blank");
        }
        return value;
    }
}
