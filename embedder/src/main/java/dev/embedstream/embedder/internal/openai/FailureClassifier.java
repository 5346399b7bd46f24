package dev.embedstream.embedder.internal.openai;

import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import dev.embedstream.contracts.Throwables;

/** The one place that decides what a provider error means: wait, retry, split, or stop. */
public final class FailureClassifier {

    static final String NETWORK = "network: ";

    private FailureClassifier() {
    }

    public static CallFailure classify(Throwable error) {
        if (error instanceof CallFailure failure) {
            return failure;
        }
        if (error instanceof OpenAIServiceException service) {
            return fromStatus(service);
        }
        if (error instanceof OpenAIInvalidDataException) {
            return new CallFailure(CallFailure.Kind.BAD_REPLY, "malformed reply: " + error.getMessage(), null, error);
        }
        if (error instanceof OpenAIIoException || error instanceof java.io.IOException) {
            return new CallFailure(CallFailure.Kind.TRANSIENT, NETWORK + rootMessage(error), null, error);
        }
        if (error instanceof OpenAIException) {
            return new CallFailure(CallFailure.Kind.TRANSIENT, error.getMessage(), null, error);
        }
        // Anything else is a bug on our side: retrying would repeat it forever.
        return new CallFailure(CallFailure.Kind.FATAL, "unexpected error: " + error, null, error);
    }

    private static CallFailure fromStatus(OpenAIServiceException e) {
        RateLimitHeaders headers = RateLimitHeaders.from(name -> e.headers().values(name));
        int status = e.statusCode();
        String message = "HTTP " + status + ": " + e.getMessage();
        if (e instanceof RateLimitException || status == 429) {
            return new CallFailure(CallFailure.Kind.RATE_LIMITED, message, headers, e);
        }
        if (status == 503 && headers.retryAfter() != null) {
            return new CallFailure(CallFailure.Kind.RATE_LIMITED, message, headers, e);
        }
        if (status == 400 || status == 413 || status == 422) {
            return new CallFailure(CallFailure.Kind.BAD_REQUEST, message, headers, e);
        }
        if (status == 401 || status == 403 || status == 404) {
            return new CallFailure(CallFailure.Kind.FATAL, message, headers, e);
        }
        return new CallFailure(CallFailure.Kind.TRANSIENT, message, headers, e);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = Throwables.root(t);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
