package dev.embedstream.embedder;

/** The provider refuses us as configured (bad key, unknown model, no permission): stop and say so. */
public class ProviderConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProviderConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
