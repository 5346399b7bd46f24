package dev.embedstream.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BinaryCopyTest {

    @Test
    void shouldWriteEveryFieldTypeInPostgresBinaryCopyFormat() throws Exception {
        // Given a row of every field type the writer sends, in a buffer sized far too small
        BinaryCopy copy = new BinaryCopy(1).row(7).text("dé").int4(-2).bool(true).int8(1L << 40).int8(null)
                .jsonb("{}").vector(new float[] {1.5f, -0.25f});
        // When the stream is finished
        byte[] bytes = copy.stream().readAllBytes();
        // Then it is PostgreSQL's binary COPY layout, big-endian, with pgvector's vector form
        ByteBuffer expected = ByteBuffer.allocate(128);
        expected.put(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0}).putInt(0).putInt(0);
        expected.putShort((short) 7);
        byte[] text = "dé".getBytes(StandardCharsets.UTF_8);
        expected.putInt(text.length).put(text);
        expected.putInt(4).putInt(-2);
        expected.putInt(1).put((byte) 1);
        expected.putInt(8).putLong(1L << 40);
        expected.putInt(-1);
        expected.putInt(3).put((byte) 1).put((byte) '{').put((byte) '}');
        expected.putInt(12).putShort((short) 2).putShort((short) 0).putFloat(1.5f).putFloat(-0.25f);
        expected.putShort((short) -1);
        byte[] want = new byte[expected.position()];
        expected.flip().get(want);
        assertThat(bytes).isEqualTo(want);
    }

    @Test
    void shouldRefuseRowsAfterTheTrailer() {
        // Given a finished stream
        BinaryCopy copy = new BinaryCopy(64).row(1).int4(1);
        copy.stream();
        // When another row is added, then that is a programming error, not a corrupt stream
        assertThatThrownBy(() -> copy.row(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("finished");
    }
}
