package dev.embedstream.contracts;

/** How texts longer than a model's window are cut; part of every content hash. */
public final class Chunking {

    /** Tokens shared by consecutive chunks unless a collection says otherwise. */
    public static final int DEFAULT_OVERLAP_TOKENS = 32;
    public static final int MAX_OVERLAP_TOKENS = 64;

    private Chunking() {
    }

    /** The chunking settings as they enter {@link ContentHash#of}. */
    public static String key(int overlapTokens) {
        if (overlapTokens < 0 || overlapTokens > MAX_OVERLAP_TOKENS) {
            throw new InvalidInputException("chunk overlap must be in 0.." + MAX_OVERLAP_TOKENS + " tokens, got "
                    + overlapTokens);
        }
        return "tokens:overlap=" + overlapTokens;
    }
}
