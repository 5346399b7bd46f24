package dev.embedstream.maintenance;

/** A maintenance step on the database failed; the message says which step, on which schema or index. */
public class MaintenanceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MaintenanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
