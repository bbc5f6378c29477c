import dev.backuprestore.etcd.EtcdHealthCheck;
import dev.backuprestore.etcd.HealthReport;
import dev.backuprestore.etcd.MemberSnapshotter;
import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.etcd.SnapshotOutcome;
import dev.backuprestore.etcd.SnapshotRequest;
import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.etcd.client.EtcdTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The etcd snapshot benchmark's Java half (run from source by bench/etcd-snapshot-bench.sh):
 *
 * <pre>
 * load     ENDPOINT CA CERT KEY COUNT SIZE     puts COUNT values of SIZE bytes (k8s-like text)
 * snapshot ENDPOINT CA CERT KEY DIR TRANSPORT  health check + snapshot of that member into DIR
 * </pre>
 *
 * The snapshot prints one line of key=value figures, including the JVM's peak RSS (VmHWM).
 */
public class EtcdSnapshotBench {
  public static void main(String[] args) throws Exception {
    EtcdTls tls = EtcdTls.fromFiles(Path.of(args[2]), Path.of(args[3]), Path.of(args[4]));
    switch (args[0]) {
      case "load" -> load(args[1], tls, Integer.parseInt(args[5]), Integer.parseInt(args[6]));
      case "snapshot" -> {
        // Run 1 is a cold JVM (as a node agent Job starts); run 2 is warm (as the operator runs).
        int runs = args.length > 7 ? Integer.parseInt(args[7]) : 1;
        for (int i = 1; i <= runs; i++) {
          snapshot(args[1], tls, Path.of(args[5]), args[6], i);
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static void load(String endpoint, EtcdTls tls, int count, int size) throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(tls.sslContext())
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicLong bytes = new AtomicLong();
    long started = System.nanoTime();
    List<Future<?>> futures = new java.util.ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                Random random = new Random(thread);
                String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789\":{}, ";
                for (int i = thread; i < count; i += 8) {
                  StringBuilder value = new StringBuilder(size);
                  while (value.length() < size) {
                    value.append(alphabet.charAt(random.nextInt(alphabet.length())));
                  }
                  String body =
                      "{\"key\":\""
                          + Base64.getEncoder()
                              .encodeToString(("/registry/bench/key-" + i).getBytes())
                          + "\",\"value\":\""
                          + Base64.getEncoder().encodeToString(value.toString().getBytes())
                          + "\"}";
                  HttpResponse<String> response =
                      http.send(
                          HttpRequest.newBuilder(URI.create(endpoint + "/v3/kv/put"))
                              .POST(HttpRequest.BodyPublishers.ofString(body))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (response.statusCode() != 200) {
                    throw new IllegalStateException(response.body());
                  }
                  bytes.addAndGet(size);
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    System.out.printf(
        "loaded %d values, %d MiB in %.1f s%n",
        count, bytes.get() >> 20, (System.nanoTime() - started) / 1e9);
  }

  static void snapshot(String endpoint, EtcdTls tls, Path dir, String transport, int run)
      throws Exception {
    try (var old = Files.list(dir)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    EtcdConnector connector =
        new EtcdConnector(
            tls, Duration.ofSeconds(600), EtcdConnector.SnapshotTransport.valueOf(transport));
    long started = System.nanoTime();
    HealthReport health =
        new EtcdHealthCheck(connector, EtcdHealthCheck.DEFAULT_MAX_APPLIED_LAG)
            .check(List.of(endpoint));
    double healthSeconds = (System.nanoTime() - started) / 1e9;
    if (!health.healthy()) {
      throw new IllegalStateException(health.summary());
    }
    String name = "bench-" + transport.toLowerCase() + "-" + System.currentTimeMillis();
    SnapshotOutcome outcome =
        new MemberSnapshotter(
            connector, Clock.systemUTC(), "bench", !"false".equals(System.getenv("COMPRESS")))
            .snapshot(
                new SnapshotRequest(
                    name, endpoint, "bench", new SnapshotDirectory(dir), true, null, 0, 0, null,
                    Map.of()),
                health);
    double total = (System.nanoTime() - started) / 1e9;
    String hwm =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("VmHWM"))
            .findFirst()
            .orElse("VmHWM: ?")
            .replaceAll("\\s+", " ");
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        "run=%d transport=%s total_s=%.2f health_s=%.2f snapshot_s=%.2f db_bytes=%d zip_bytes=%d %s"
            + " heap_max_mib=%d%n",
        run,
        transport,
        total,
        healthSeconds,
        outcome.localSeconds(),
        outcome.dbSize(),
        outcome.size(),
        hwm.replace("VmHWM: ", "peak_rss=").replace(" kB", "kB"),
        rt.maxMemory() >> 20);
  }
}
