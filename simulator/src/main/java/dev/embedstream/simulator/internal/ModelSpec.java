package dev.embedstream.simulator.internal;

/** What the simulator knows about a model name: its native width and whether it accepts {@code dimensions}. */
record ModelSpec(String name, int nativeDimensions, boolean shortenable) {

    private static final String V3_PREFIX = "text-embedding-3-";

    /** OpenAI's published widths; any other name gets the configured default, so local model names work too. */
    static ModelSpec of(String name, int defaultDimensions) {
        return switch (name) {
            case "text-embedding-3-small" -> new ModelSpec(name, 1536, true);
            case "text-embedding-3-large" -> new ModelSpec(name, 3072, true);
            case "text-embedding-ada-002" -> new ModelSpec(name, 1536, false);
            default -> new ModelSpec(name, defaultDimensions, name.startsWith(V3_PREFIX));
        };
    }
}
