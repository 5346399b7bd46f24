package dev.embedstream.contracts;

/** Strict UTF-8 validation (RFC 3629) without decoding: no overlong forms, no surrogates, nothing past U+10FFFF. */
public final class Utf8 {

    private Utf8() {
    }

    /** Whether the whole array is valid UTF-8. */
    public static boolean isValid(byte[] bytes) {
        return isValid(bytes, 0, bytes.length);
    }

    /**
     * Whether {@code bytes[offset, offset + length)} is valid UTF-8. Allocates nothing: the JDK's
     * decoder would build a char buffer of the body's size for each request only to throw it away.
     */
    public static boolean isValid(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b0 = bytes[i];
            if (b0 >= 0) {
                i++;
                continue;
            }
            b0 &= 0xFF;
            int need = b0 < 0xC2 ? -1 : b0 < 0xE0 ? 1 : b0 < 0xF0 ? 2 : b0 < 0xF5 ? 3 : -1;
            if (need < 0 || i + need >= end) {
                return false;
            }
            int b1 = bytes[i + 1] & 0xFF;
            if (!continuation(b1) || !secondByteAllowed(b0, b1)) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                if (!continuation(bytes[i + k] & 0xFF)) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }

    private static boolean continuation(int b) {
        return (b & 0xC0) == 0x80;
    }

    // The lead byte alone cannot rule out overlong forms, UTF-16 surrogates or code points past U+10FFFF.
    private static boolean secondByteAllowed(int b0, int b1) {
        return switch (b0) {
            case 0xE0 -> b1 >= 0xA0;
            case 0xED -> b1 < 0xA0;
            case 0xF0 -> b1 >= 0x90;
            case 0xF4 -> b1 < 0x90;
            default -> true;
        };
    }
}
