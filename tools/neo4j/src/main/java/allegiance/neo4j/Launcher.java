package allegiance.neo4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community embedded, with a Bolt connector on 127.0.0.1, for tests.
 *
 * <p>Usage: {@code Launcher <homeDir> <boltPort> <pageCacheSize>} (normally started by neo4j.sh).
 * Once the default database answers {@code RETURN 1} and the Bolt port accepts connections, it
 * writes {@code <homeDir>/run/ready} (content: "pid version"). SIGTERM shuts the DBMS down cleanly.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Launcher <homeDir> <boltPort> <pageCacheSize>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCache = SettingValueParsers.BYTES.parse(args[2]);
        Path runDir = home.resolve("run");
        Path ready = runDir.resolve("ready");
        Files.createDirectories(runDir);
        Files.deleteIfExists(ready);

        long t0 = System.nanoTime();
        log("starting Neo4j (home " + home + ", bolt 127.0.0.1:" + port + ", page cache " + args[2] + ")");

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    // Stop in ~1 s instead of ~10 s (two 5 s grace periods by default).
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false) // dbms.usage_report.enabled
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                    .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                    // Test instance: no 256 MB pre-allocated transaction log files, keep little history.
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files")
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 16L * 1024 * 1024)
                    .build();
        } catch (Throwable t) {
            log("FAILED to start Neo4j: " + t);
            t.printStackTrace();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down Neo4j");
            try {
                Files.deleteIfExists(ready);
            } catch (IOException ignored) {
                // best effort
            }
            try {
                dbms.shutdown();
                log("Neo4j stopped");
            } catch (Throwable t) {
                log("error during shutdown: " + t);
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        String version;
        try {
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!db.isAvailable(1000)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("default database did not become available");
                }
            }
            db.executeTransactionally("RETURN 1");
            version = db.executeTransactionally(
                    "CALL dbms.components() YIELD versions RETURN versions[0] AS v",
                    java.util.Map.of(),
                    r -> String.valueOf(r.next().get("v")));
            waitForPort(port, Duration.ofSeconds(60));
        } catch (Throwable t) {
            log("FAILED: Neo4j started but is not usable: " + t);
            t.printStackTrace();
            System.exit(1); // runs the shutdown hook
            return;
        }

        Path tmp = runDir.resolve("ready.tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + " " + version + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log(String.format("Neo4j %s ready on bolt://127.0.0.1:%d (%.1f s)", version, port,
                (System.nanoTime() - t0) / 1e9));

        // Keep the JVM alive until SIGTERM/SIGINT runs the shutdown hook.
        stopped.await();
    }

    private static void waitForPort(int port, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("Bolt port " + port + " not accepting connections", e);
                }
                Thread.sleep(200);
            }
        }
    }

    private static void log(String msg) {
        System.out.println(java.time.Instant.now() + " [launcher] " + msg);
        System.out.flush();
    }
}
