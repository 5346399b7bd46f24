package dev.embedstream.embedder;

/**
 * The provider cannot serve now (outage, circuit open, rate limited for too long): retry the
 * whole batch later. Never a reason to dead-letter a document.
 */
public class ProviderUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
