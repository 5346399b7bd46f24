package dev.embedstream.embedder.internal.openai;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import java.util.List;

/** One embeddings request through openai-java (its own retries off), with the reply validated. */
public final class OpenAiCaller {

    /** Vectors in input order, and the rate-limit headers of the reply. */
    public record Reply(List<float[]> vectors, RateLimitHeaders headers) {
    }

    private final OpenAIClient client;
    private final String model;
    private final int requestedDimensions;
    private final int expectedDimensions;

    public OpenAiCaller(OpenAIClient client, String model, int requestedDimensions, int expectedDimensions) {
        this.client = client;
        this.model = model;
        this.requestedDimensions = requestedDimensions;
        this.expectedDimensions = expectedDimensions;
    }

    public Reply call(List<String> inputs) throws CallFailure {
        EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder().model(model).inputOfArrayOfStrings(inputs);
        if (requestedDimensions > 0) {
            params.dimensions(requestedDimensions);
        }
        try (HttpResponseFor<CreateEmbeddingResponse> response = client.embeddings().withRawResponse().create(params.build())) {
            RateLimitHeaders headers = RateLimitHeaders.from(name -> response.headers().values(name));
            return new Reply(vectors(response.parse().data(), inputs.size(), headers), headers);
        } catch (CallFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw FailureClassifier.classify(e);
        }
    }

    private List<float[]> vectors(List<Embedding> data, int expected, RateLimitHeaders headers) throws CallFailure {
        if (data.size() != expected) {
            throw badReply("reply has " + data.size() + " vectors for " + expected + " inputs", headers);
        }
        float[][] ordered = new float[expected][];
        for (Embedding e : data) {
            int index = (int) e.index();
            if (index < 0 || index >= expected || ordered[index] != null) {
                throw badReply("reply has a bad or repeated index " + index, headers);
            }
            ordered[index] = toVector(e.embedding(), index, headers);
        }
        return List.of(ordered);
    }

    private float[] toVector(List<Float> values, int index, RateLimitHeaders headers) throws CallFailure {
        if (values.size() != expectedDimensions) {
            throw badReply("vector " + index + " has " + values.size() + " dimensions, expected " + expectedDimensions,
                    headers);
        }
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            Float x = values.get(i);
            if (x == null || !Float.isFinite(x)) {
                throw badReply("vector " + index + " has a non-finite value", headers);
            }
            v[i] = x;
        }
        return v;
    }

    private static CallFailure badReply(String message, RateLimitHeaders headers) {
        return new CallFailure(CallFailure.Kind.BAD_REPLY, message, headers, null);
    }
}
