package dev.embedstream.embedder;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.ConfigLookup;
import java.time.Duration;

/**
 * Configuration of the OpenAI-compatible provider (OpenAI, Azure-style gateways, vLLM, Ollama, TEI).
 *
 * @param baseUrl              API base, e.g. {@code https://api.openai.com/v1}
 * @param apiKey               secret; never logged or printed
 * @param model                embedding model name
 * @param dimensions           requested dimensions (text-embedding-3 models), 0 for the model's own
 * @param nativeDimensions     dimensions the model returns when none are requested
 * @param rpm                  requests per minute allowed to this deployment
 * @param tpm                  tokens per minute allowed to this deployment
 * @param maxInputsPerRequest  provider cap on inputs per request
 * @param maxTokensPerRequest  provider cap on tokens per request (checked by tokens and by the byte estimate)
 * @param maxTokensPerInput    the model's window; longer texts are chunked
 * @param concurrency          requests in flight at once
 * @param requestTimeout       time for one HTTP request
 * @param maxAttempts          tries of one request on transient errors before the batch is given back
 * @param backoffMax           longest wait between those tries
 * @param maxRateLimitWait     longest a batch waits out rate limits before it is given back
 * @param breakerOpenWait      how long the circuit stays open before it probes again
 */
public record OpenAiConfig(String baseUrl, String apiKey, String model, int dimensions, int nativeDimensions, int rpm,
                           int tpm, int maxInputsPerRequest, int maxTokensPerRequest, int maxTokensPerInput,
                           int concurrency, Duration requestTimeout, int maxAttempts, Duration backoffMax,
                           Duration maxRateLimitWait, Duration breakerOpenWait) {

    public static final String BASE_URL = "EMBEDSTREAM_OPENAI_BASE_URL";
    public static final String API_KEY = "EMBEDSTREAM_OPENAI_API_KEY";
    public static final String API_KEY_FALLBACK = "OPENAI_API_KEY";
    public static final String MODEL = "EMBEDSTREAM_OPENAI_MODEL";
    public static final String DIMENSIONS = "EMBEDSTREAM_OPENAI_DIMENSIONS";
    public static final String NATIVE_DIMENSIONS = "EMBEDSTREAM_OPENAI_NATIVE_DIMENSIONS";
    public static final String RPM = "EMBEDSTREAM_OPENAI_RPM";
    public static final String TPM = "EMBEDSTREAM_OPENAI_TPM";
    public static final String MAX_INPUTS_PER_REQUEST = "EMBEDSTREAM_OPENAI_MAX_INPUTS_PER_REQUEST";
    public static final String MAX_TOKENS_PER_REQUEST = "EMBEDSTREAM_OPENAI_MAX_TOKENS_PER_REQUEST";
    public static final String MAX_TOKENS_PER_INPUT = "EMBEDSTREAM_OPENAI_MAX_TOKENS_PER_INPUT";
    public static final String CONCURRENCY = "EMBEDSTREAM_OPENAI_CONCURRENCY";
    public static final String REQUEST_TIMEOUT = "EMBEDSTREAM_OPENAI_REQUEST_TIMEOUT";
    public static final String MAX_ATTEMPTS = "EMBEDSTREAM_OPENAI_MAX_ATTEMPTS";
    public static final String BACKOFF_MAX = "EMBEDSTREAM_OPENAI_BACKOFF_MAX";
    public static final String MAX_RATE_LIMIT_WAIT = "EMBEDSTREAM_OPENAI_MAX_RATE_LIMIT_WAIT";
    public static final String BREAKER_OPEN_WAIT = "EMBEDSTREAM_OPENAI_BREAKER_OPEN_WAIT";

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_MODEL = "text-embedding-3-small";
    public static final int DEFAULT_RPM = 3_000;
    public static final int DEFAULT_TPM = 1_000_000;
    /** OpenAI's documented caps. */
    public static final int OPENAI_MAX_INPUTS = 2_048;
    public static final int OPENAI_MAX_REQUEST_TOKENS = 300_000;
    public static final int OPENAI_MAX_INPUT_TOKENS = 8_191;
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(20);
    public static final Duration DEFAULT_MAX_RATE_LIMIT_WAIT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_BREAKER_OPEN_WAIT = Duration.ofSeconds(30);

    public OpenAiConfig {
        ConfigLookup.requireNonBlank(BASE_URL, baseUrl);
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new ConfigException(BASE_URL, "must be an http:// or https:// URL");
        }
        ConfigLookup.requireNonBlank(API_KEY, apiKey);
        ConfigLookup.requireNonBlank(MODEL, model);
        ConfigLookup.requireRange(DIMENSIONS, dimensions, 0, 16_000);
        ConfigLookup.requireRange(NATIVE_DIMENSIONS, nativeDimensions, 1, 16_000);
        ConfigLookup.requireRange(RPM, rpm, 1, 10_000_000);
        ConfigLookup.requireRange(TPM, tpm, 1, 2_000_000_000);
        ConfigLookup.requireRange(MAX_INPUTS_PER_REQUEST, maxInputsPerRequest, 1, OPENAI_MAX_INPUTS);
        ConfigLookup.requireRange(MAX_TOKENS_PER_REQUEST, maxTokensPerRequest, 1, 10_000_000);
        ConfigLookup.requireRange(MAX_TOKENS_PER_INPUT, maxTokensPerInput, 16, 1_000_000);
        if (maxTokensPerInput > maxTokensPerRequest) {
            throw new ConfigException(MAX_TOKENS_PER_INPUT, "must not exceed " + MAX_TOKENS_PER_REQUEST);
        }
        ConfigLookup.requireRange(CONCURRENCY, concurrency, 1, 256);
        ConfigLookup.requirePositive(REQUEST_TIMEOUT, requestTimeout);
        ConfigLookup.requireRange(MAX_ATTEMPTS, maxAttempts, 1, 100);
        ConfigLookup.requirePositive(BACKOFF_MAX, backoffMax);
        ConfigLookup.requirePositive(MAX_RATE_LIMIT_WAIT, maxRateLimitWait);
        ConfigLookup.requirePositive(BREAKER_OPEN_WAIT, breakerOpenWait);
    }

    public static OpenAiConfig from(ConfigLookup c) {
        String key = c.raw(API_KEY) != null ? c.raw(API_KEY) : c.raw(API_KEY_FALLBACK);
        if (key == null) {
            throw new ConfigException(API_KEY, "is required for the openai provider (or set " + API_KEY_FALLBACK + ")");
        }
        String model = c.string(MODEL, DEFAULT_MODEL);
        return new OpenAiConfig(
                c.string(BASE_URL, DEFAULT_BASE_URL), key, model,
                c.integer(DIMENSIONS, 0),
                c.integer(NATIVE_DIMENSIONS, nativeDimensionsOf(model)),
                c.integer(RPM, DEFAULT_RPM), c.integer(TPM, DEFAULT_TPM),
                c.integer(MAX_INPUTS_PER_REQUEST, OPENAI_MAX_INPUTS),
                c.integer(MAX_TOKENS_PER_REQUEST, OPENAI_MAX_REQUEST_TOKENS),
                c.integer(MAX_TOKENS_PER_INPUT, OPENAI_MAX_INPUT_TOKENS),
                c.integer(CONCURRENCY, DEFAULT_CONCURRENCY),
                c.duration(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT),
                c.integer(MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS),
                c.duration(BACKOFF_MAX, DEFAULT_BACKOFF_MAX),
                c.duration(MAX_RATE_LIMIT_WAIT, DEFAULT_MAX_RATE_LIMIT_WAIT),
                c.duration(BREAKER_OPEN_WAIT, DEFAULT_BREAKER_OPEN_WAIT));
    }

    /** The known width of OpenAI's models; other models default to 1536 unless configured. */
    static int nativeDimensionsOf(String model) {
        return switch (model) {
            case "text-embedding-3-large" -> 3072;
            default -> 1536;
        };
    }

    /**
     * The same endpoint, limits and key for another model: {@code dimensions} 0 means the model's
     * native width (no {@code dimensions} parameter is sent).
     */
    public OpenAiConfig withModel(String newModel, int newDimensions) {
        int nativeDims = newModel.equals(model) ? nativeDimensions : nativeDimensionsOf(newModel);
        int dims = newDimensions == nativeDims ? 0 : newDimensions;
        return new OpenAiConfig(baseUrl, apiKey, newModel, dims, Math.max(nativeDims, dims), rpm, tpm, maxInputsPerRequest,
                maxTokensPerRequest, maxTokensPerInput, concurrency, requestTimeout, maxAttempts, backoffMax,
                maxRateLimitWait, breakerOpenWait);
    }

    /** Dimensions of the vectors this configuration produces. */
    public int effectiveDimensions() {
        return dimensions > 0 ? dimensions : nativeDimensions;
    }

    @Override
    public String toString() {
        return "OpenAiConfig[baseUrl=" + dev.embedstream.contracts.Texts.redactUrl(baseUrl) + ", apiKey=****, model=" + model + ", dimensions="
                + effectiveDimensions() + ", rpm=" + rpm + ", tpm=" + tpm + ", concurrency=" + concurrency + "]";
    }
}
