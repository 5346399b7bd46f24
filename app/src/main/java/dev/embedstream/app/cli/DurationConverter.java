package dev.embedstream.app.cli;

import dev.embedstream.contracts.ConfigLookup;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Reads a command-line duration the way the {@code EMBEDSTREAM_*} settings are read ({@code 5s},
 * {@code 250ms}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT5S}); only positive ones are taken.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration d;
        try {
            d = ConfigLookup.parseDuration(value.trim());
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 250ms, 5s, 2m, PT1H)");
        }
        if (d.isNegative() || d.isZero()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration");
        }
        return d;
    }
}
