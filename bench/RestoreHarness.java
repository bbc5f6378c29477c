import dev.backuprestore.restore.RestoreJob;
import dev.backuprestore.restore.RestoreResult;
import dev.backuprestore.restore.RestoreRunner;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark helper: runs the restore engine ({@link RestoreRunner}) on a local archive with a given
 * number of workers, in its own JVM, the way the operator's RestoreService does (the operator has
 * no setting for the worker count, so the 1-worker figure needs this). Prune is off: the target is
 * an empty control plane.
 *
 * <pre>
 *   javac -cp 'target/backup-restore-operator.jar:target/lib/*' -d OUT bench/RestoreHarness.java
 *   java -Xmx256m -cp 'OUT:target/backup-restore-operator.jar:target/lib/*' RestoreHarness \
 *       KUBECONFIG ARCHIVE WORKERS
 * </pre>
 *
 * Prints "restored=N seconds=S objects_per_s=R summary=...".
 */
public final class RestoreHarness {
  private static final int MAX_PASSES = 20;

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: RestoreHarness KUBECONFIG ARCHIVE WORKERS");
      System.exit(2);
    }
    Path kubeconfig = Path.of(args[0]);
    Path archive = Path.of(args[1]);
    int workers = Integer.parseInt(args[2]);
    // The same client settings as the operator's Main.connect.
    Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    config.setRequestRetryBackoffLimit(3);
    config.setMaxConcurrentRequests(64);
    config.setMaxConcurrentRequestsPerHost(32);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      RestoreRunner runner = new RestoreRunner(client);
      RestoreJob job =
          RestoreJob.of("bench:" + workers, () -> open(archive))
              .withPrune(false)
              .withWorkers(workers);
      long start = System.nanoTime();
      RestoreResult result = runner.run(job);
      for (int pass = 1; result.isWaiting() && pass < MAX_PASSES; pass++) {
        Thread.sleep(Math.max(100, result.retryAfter().toMillis()));
        result = runner.run(job);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (result.isWaiting()) {
        throw new IllegalStateException("restore still waiting after " + MAX_PASSES + " passes");
      }
      long restored = result.created() + result.updated();
      System.out.printf(
          "restored=%d seconds=%.2f objects_per_s=%.0f summary=%s%n",
          restored, seconds, restored / seconds, result.summary().replace(' ', ','));
    }
  }

  private static InputStream open(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
