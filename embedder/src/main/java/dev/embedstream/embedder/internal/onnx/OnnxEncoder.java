package dev.embedstream.embedder.internal.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A BERT-style encoder in an ONNX Runtime session: padded token batches in, mean-pooled unit vectors
 * out. Thread-safe, because {@link OrtSession#run} is; the owner must not close it during a run.
 */
final class OnnxEncoder implements AutoCloseable {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean takesTokenTypes;
    private final int dimensions;

    private OnnxEncoder(OrtEnvironment environment, OrtSession session, int dimensions) throws OrtException {
        this.environment = environment;
        this.session = session;
        this.dimensions = dimensions;
        this.takesTokenTypes = checkInputs(session.getInputNames());
        checkOutput(session.getOutputInfo(), dimensions);
    }

    /** A session over the ONNX file's bytes; {@code resource} names it in errors. */
    static OnnxEncoder create(byte[] model, String resource, int intraOpThreads, int dimensions) {
        // The environment is a process-wide singleton shared with any other ORT user; its close() is a
        // no-op, so only the session is ours to release.
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = sessionOptions(intraOpThreads)) {
            OrtSession session = environment.createSession(model, options);
            return validated(environment, session, dimensions);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create an ONNX Runtime session for '" + resource + "'", e);
        }
    }

    private static OrtSession.SessionOptions sessionOptions(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            // A BERT graph is one chain of operators: a second thread between them only waits.
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            // Idle intra-op threads would spin on cores the writer and the Kafka clients need.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setOptimizationLevel(OptLevel.ALL_OPT);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static OnnxEncoder validated(OrtEnvironment environment, OrtSession session, int dimensions)
            throws OrtException {
        try {
            return new OnnxEncoder(environment, session, dimensions);
        } catch (OrtException | RuntimeException e) {
            closeAfterFailure(session, e);
            throw e;
        }
    }

    private static void closeAfterFailure(OrtSession session, Exception failure) {
        try {
            session.close();
        } catch (OrtException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** @return whether the model wants {@code token_type_ids} (some BERT exports drop it) */
    private static boolean checkInputs(Set<String> inputs) {
        if (!inputs.contains(INPUT_IDS) || !inputs.contains(ATTENTION_MASK) || !KNOWN_INPUTS.containsAll(inputs)) {
            throw new IllegalStateException("model inputs " + inputs + " are not a BERT encoder's; expected "
                    + INPUT_IDS + ", " + ATTENTION_MASK + " and optionally " + TOKEN_TYPE_IDS);
        }
        return inputs.contains(TOKEN_TYPE_IDS);
    }

    private static void checkOutput(Map<String, NodeInfo> outputs, int dimensions) {
        NodeInfo output = outputs.get(LAST_HIDDEN_STATE);
        if (output == null || !(output.getInfo() instanceof TensorInfo tensor)) {
            throw new IllegalStateException("model has no tensor output '" + LAST_HIDDEN_STATE + "'; outputs: "
                    + outputs.keySet());
        }
        long[] shape = tensor.getShape();
        if (shape.length != 3 || shape[2] != dimensions) {
            throw new IllegalStateException("model output '" + LAST_HIDDEN_STATE + "' has shape "
                    + Arrays.toString(shape) + ", expected [batch, tokens, " + dimensions + "]");
        }
    }

    /** One unit vector per row of the batch, in row order. */
    float[][] embed(PaddedBatch batch) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            putInputs(batch, inputs);
            try (OrtSession.Result result = session.run(inputs, Set.of(LAST_HIDDEN_STATE))) {
                return pool(batch, hiddenState(result, batch));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.size()
                    + " texts of up to " + batch.length() + " tokens", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private void putInputs(PaddedBatch batch, Map<String, OnnxTensor> inputs) throws OrtException {
        inputs.put(INPUT_IDS, tensor(batch.inputIds(), batch.shape()));
        inputs.put(ATTENTION_MASK, tensor(batch.attentionMask(), batch.shape()));
        if (takesTokenTypes) {
            inputs.put(TOKEN_TYPE_IDS, tensor(batch.tokenTypeIds(), batch.shape()));
        }
    }

    private OnnxTensor tensor(long[] values, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(values), shape);
    }

    private FloatBuffer hiddenState(OrtSession.Result result, PaddedBatch batch) {
        OnnxValue value = result.get(LAST_HIDDEN_STATE).orElseThrow(() -> new IllegalStateException(
                "ONNX Runtime returned no '" + LAST_HIDDEN_STATE + "'"));
        FloatBuffer hidden = ((OnnxTensor) value).getFloatBuffer();
        long expected = (long) batch.size() * batch.length() * dimensions;
        if (hidden.remaining() != expected) {
            throw new IllegalStateException("'" + LAST_HIDDEN_STATE + "' holds " + hidden.remaining()
                    + " floats, expected " + expected + " for a batch of " + batch.size() + " x " + batch.length());
        }
        return hidden;
    }

    private float[][] pool(PaddedBatch batch, FloatBuffer hidden) {
        float[][] vectors = new float[batch.size()][];
        for (int row = 0; row < batch.size(); row++) {
            vectors[row] = MeanPooling.pool(hidden, batch.attentionMask(), row, batch.length(), dimensions);
        }
        return vectors;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session", e);
        }
    }
}
