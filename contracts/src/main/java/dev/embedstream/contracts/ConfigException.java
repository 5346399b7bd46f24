package dev.embedstream.contracts;

/** Bad configuration: the message names the offending key, so one line tells the operator what to fix. */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, String problem) {
        super("invalid config " + key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
