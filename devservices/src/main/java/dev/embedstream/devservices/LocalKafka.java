package dev.embedstream.devservices;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) running inside this
 * JVM, for the demo and for tests on machines without Docker. Not for production: one node, no
 * replication.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int brokerPort;
    private final KafkaRaftServer server;
    private volatile boolean deleteOnClose;

    private LocalKafka(Path dataDir, int brokerPort, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.server = server;
    }

    /** Starts a broker on free loopback ports with its log in a fresh temporary directory. */
    public static LocalKafka start() {
        return startTemporary("embedstream-kafka-", (props, ports) -> { });
    }

    /**
     * Starts a broker keeping its log in {@code dataDir} (formatted on first use, reused after),
     * listening on {@code port} (0 picks a free one).
     */
    public static LocalKafka start(Path dataDir, int port) {
        return start(dataDir, port, (props, ports) -> { });
    }

    /**
     * Starts a broker in a fresh temporary directory whose client listener takes only SASL/PLAIN
     * logins of {@code users} (name to password), as a secured cluster does.
     */
    public static LocalKafka startSaslPlain(Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a SASL/PLAIN broker needs at least one user");
        }
        return startTemporary("embedstream-kafka-sasl-", (props, ports) -> securePlain(props, ports[0], ports[1], users));
    }

    /**
     * Starts a broker in a fresh temporary directory whose listener for clients (and for itself)
     * speaks only TLS, presenting the certificate in {@code tls}'s key store.
     */
    public static LocalKafka startTls(TlsFiles tls) {
        return startTemporary("embedstream-kafka-tls-", (props, ports) -> secureTls(props, ports[0], ports[1], tls));
    }

    /**
     * A PKCS12 key store with a key and its self-signed certificate for {@code 127.0.0.1} and
     * {@code localhost}, and a PKCS12 trust store holding that certificate, under one password.
     */
    public record TlsFiles(Path keyStore, Path trustStore, String password) {

        /** Made in {@code dir} by the JDK's {@code keytool}, valid for two days. */
        public static TlsFiles selfSigned(Path dir) {
            String password = Uuid.randomUuid().toString();
            Path key = dir.resolve("broker.p12");
            Path cert = dir.resolve("broker.pem");
            Path trust = dir.resolve("truststore.p12");
            keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", key.toString(), "-storepass", password, "-keypass", password);
            keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", key.toString(), "-storepass", password,
                    "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                    "-keystore", trust.toString(), "-storepass", password);
            return new TlsFiles(key, trust, password);
        }

        private static void keytool(String... args) {
            java.util.List<String> command = new java.util.ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(java.util.List.of(args));
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run keytool", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running keytool", e);
            }
        }
    }

    private static LocalKafka startTemporary(String prefix, java.util.function.BiConsumer<Properties, int[]> secure) {
        try {
            LocalKafka kafka = start(Files.createTempDirectory(prefix), 0, secure);
            kafka.deleteOnClose = true;
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the local Kafka broker", e);
        }
    }

    /** {@code secure} gets the properties and {broker port, controller port} to change the listeners. */
    private static LocalKafka start(Path dataDir, int port, java.util.function.BiConsumer<Properties, int[]> secure) {
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        Properties props = properties(dataDir, brokerPort, controllerPort);
        secure.accept(props, new int[] {brokerPort, controllerPort});
        format(dataDir, props);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        LocalKafka kafka = new LocalKafka(dataDir, brokerPort, server);
        kafka.awaitListening();
        log.info("local Kafka broker listening on {} (data in {})", kafka.bootstrapServers(), dataDir);
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            deleteQuietly(dataDir);
        }
    }

    /** A temporary log directory goes with its broker; a failure to delete it is not worth failing a stop. */
    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not delete {}: {}", dir, e.toString());
        }
    }

    private static Properties properties(Path dataDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("log").toString());
        p.put("num.partitions", "4");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("message.max.bytes", String.valueOf(4 * 1024 * 1024));
        return p;
    }

    /** The client listener as SASL_PLAINTEXT with PLAIN; the broker logs in to itself as a user of its own. */
    private static void securePlain(Properties p, int brokerPort, int controllerPort, Map<String, String> users) {
        String brokerPassword = Uuid.randomUuid().toString();
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
                .append(" username=\"broker\" password=\"").append(brokerPassword).append('"')
                .append(" user_broker=\"").append(brokerPassword).append('"');
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        p.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", "PLAIN");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
    }

    /** The client listener as SSL; the broker trusts its own certificate to reach itself. */
    private static void secureTls(Properties p, int brokerPort, int controllerPort, TlsFiles tls) {
        p.put("listeners", "SSL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SSL://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "SSL:SSL,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "SSL");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", tls.keyStore().toString());
        p.put("ssl.keystore.password", tls.password());
        p.put("ssl.key.password", tls.password());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", tls.trustStore().toString());
        p.put("ssl.truststore.password", tls.password());
    }

    private static void format(Path dataDir, Properties props) {
        try {
            Files.createDirectories(dataDir);
            Path config = dataDir.resolve("server.properties");
            try (var out = Files.newOutputStream(config)) {
                props.store(out, "embedstream local broker");
            }
            if (Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
                return; // formatted before: a restart keeps its cluster id and its data
            }
            String clusterId = Uuid.randomUuid().toString();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString(),
                    "--ignore-formatted"}, new PrintStream(buffer, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("formatting the Kafka log in " + dataDir + " failed: "
                        + buffer.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka log in " + dataDir, e);
        }
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", brokerPort), 200);
                return;
            } catch (IOException notYet) {
                sleep(Duration.ofMillis(50));
            }
        }
        close();
        throw new IllegalStateException("local Kafka broker did not listen on port " + brokerPort + " within " + START_TIMEOUT);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the local Kafka broker", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}
