package dev.embedstream.simulator.internal;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/** Checks the bearer key like OpenAI and names the budget a request is charged to. */
final class Authenticator {

    /** The budget of callers that present no key while none is required. */
    static final String ANONYMOUS = "";

    private static final String BEARER = "bearer ";

    private final String apiKey;

    Authenticator(String apiKey) {
        this.apiKey = apiKey;
    }

    /** @return the key whose rate-limit budget pays for the request */
    String authenticate(Headers headers) throws ApiError {
        String presented = bearerToken(headers.getFirst("Authorization"));
        if (apiKey == null) {
            return presented == null ? ANONYMOUS : presented;
        }
        if (presented == null) {
            throw unauthorized("You didn't provide an API key. You need to provide your API key in an Authorization "
                    + "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", null);
        }
        // Constant time, so the simulator does not teach anyone a timing attack that a real server would defeat.
        if (!MessageDigest.isEqual(bytes(presented), bytes(apiKey))) {
            throw unauthorized("Incorrect API key provided: " + mask(presented) + ".", "invalid_api_key");
        }
        return presented;
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    /** OpenAI echoes only the ends of a wrong key. */
    private static String mask(String key) {
        if (key.length() <= 8) {
            return "*".repeat(key.length());
        }
        return key.substring(0, 3) + "*".repeat(key.length() - 7) + key.substring(key.length() - 4);
    }

    private static ApiError unauthorized(String message, String code) {
        return new ApiError(401, message, ApiError.INVALID_REQUEST, null, code, Map.of());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
