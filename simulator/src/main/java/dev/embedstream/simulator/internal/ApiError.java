package dev.embedstream.simulator.internal;

import java.util.Map;

/** An error answered in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}. */
final class ApiError extends Exception {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String SERVER_ERROR = "server_error";

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final transient Map<String, String> headers;

    ApiError(int status, String message, String type, String param, String code, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    static ApiError invalidRequest(String message, String param, String code) {
        return new ApiError(400, message, INVALID_REQUEST, param, code, Map.of());
    }

    static ApiError invalidRequest(String message) {
        return invalidRequest(message, null, null);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String param() {
        return param;
    }

    String code() {
        return code;
    }

    /** Headers this error needs besides the rate-limit ones, e.g. {@code retry-after}. */
    Map<String, String> headers() {
        return headers;
    }
}
