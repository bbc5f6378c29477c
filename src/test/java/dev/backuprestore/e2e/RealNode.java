package dev.backuprestore.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node Kubernetes on this machine (scripts/e2e-node.sh): brought up once for the test
 * run by the first class that registers this extension, torn down (with the kernel settings
 * restored) when the run ends. Every phase is logged with its time. It needs root on Linux:
 * anywhere else it fails at once with what is missing, it is never skipped.
 */
public final class RealNode implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealNode.class);
  private static final Path SCRIPT = Path.of("scripts/e2e-node.sh");
  private static final long START = System.nanoTime();

  private Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    running =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(Running.class, key -> Running.up(), Running.class);
    // Once per run, before any test class can start a Pod: the guard's absence is detected and a
    // probe Pod's packets stay on the machine. A failure here fails every class, loudly.
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            NetworkConfinementCheck.class,
            key -> {
              phase("network confinement", () -> new NetworkConfinementCheck(this).verify());
              return Boolean.TRUE;
            },
            Boolean.class);
    // Before each class: a rule lost since (a kube-proxy resync, say) fails the class here.
    checkNetworkConfinement();
  }

  /** Logs a phase of the tier and its time, as the script does for its own phases. */
  public static <T> T phase(String name, Callable<T> work) {
    log("phase " + name + ": start");
    long start = System.nanoTime();
    try {
      T result = work.call();
      log("phase " + name + ": done in " + seconds(start) + "s");
      return result;
    } catch (RuntimeException | Error e) {
      log("phase " + name + ": FAILED after " + seconds(start) + "s: " + e);
      throw e;
    } catch (Exception e) {
      log("phase " + name + ": FAILED after " + seconds(start) + "s: " + e);
      throw new IllegalStateException(name + " failed", e);
    }
  }

  public static void phase(String name, Runnable work) {
    phase(
        name,
        () -> {
          work.run();
          return null;
        });
  }

  public static void log(String message) {
    System.out.println("real-node [" + seconds(START) + "s] " + message);
  }

  private static long seconds(long since) {
    return Duration.ofNanos(System.nanoTime() - since).toSeconds();
  }

  private Running node() {
    if (running == null) {
      throw new IllegalStateException("the real node is not up: register RealNode as an extension");
    }
    return running;
  }

  /** A value printed by {@code e2e-node.sh env}, e.g. {@code BRO_E2E_NODE_IP}. */
  public String env(String name) {
    String value = node().env().get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("e2e-node.sh env printed no " + name);
    }
    return value;
  }

  public String nodeIp() {
    return env("BRO_E2E_NODE_IP");
  }

  public String nodeName() {
    return env("BRO_E2E_NODE_NAME");
  }

  /** The host directory behind the chart's hostPath PersistentVolume. */
  public Path backupDirectory() {
    return Path.of(env("BRO_E2E_BACKUP_DIR"));
  }

  public String operatorImageRepository() {
    return env("BRO_E2E_OPERATOR_IMAGE");
  }

  /** The tags the operator image was imported under: the install's and the upgrade's. */
  public List<String> operatorImageTags() {
    return List.of(env("BRO_E2E_OPERATOR_TAGS").split(" "));
  }

  /** The node's etcd (TLS with client certificates), as a hostNetwork Pod reaches it. */
  public String etcdEndpoint() {
    return env("BRO_E2E_ETCD_ENDPOINT");
  }

  /**
   * The host directory of the etcd CA ({@code ca.crt}) and client pair ({@code client.crt/key}).
   */
  public Path etcdPki() {
    return Path.of(env("BRO_E2E_ETCD_PKI"));
  }

  /** A host directory for the etcd snapshot agent's local copies; removed by {@code down}. */
  public Path etcdSnapshotDirectory() {
    return Path.of(env("BRO_E2E_ETCD_SNAPSHOT_DIR"));
  }

  public String controlPlaneBinary(String name) {
    return env("BRO_CONTROL_PLANE_BIN") + "/" + name;
  }

  public String jreImage() {
    return env("BRO_E2E_JRE_IMAGE");
  }

  /** A client with the cluster admin's credentials, for the test's own checks and set-up. */
  public KubernetesClient adminClient() {
    try {
      String kubeconfig = Files.readString(Path.of(env("KUBECONFIG")));
      return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kubectl as the cluster admin; fails the test on a non-zero exit. */
  public String kubectl(String... args) {
    return tryKubectl(null, args).orFail();
  }

  public HostCommand.Result tryKubectl(String stdin, String... args) {
    return HostCommand.run(
        HostCommand.args(controlPlaneBinary("kubectl"), args),
        Map.of("KUBECONFIG", env("KUBECONFIG")),
        stdin,
        Duration.ofMinutes(5),
        null);
  }

  /** kubectl apply -f - of the given manifests. */
  public void apply(String manifests) {
    tryKubectl(manifests, "apply", "-f", "-").orFail();
  }

  /** helm, echoing its output; fails the test on a non-zero exit. */
  public String helm(String... args) {
    return tryHelm(args).orFail();
  }

  public HostCommand.Result tryHelm(String... args) {
    Map<String, String> env = new HashMap<>(Map.of("KUBECONFIG", env("KUBECONFIG")));
    Path home = node().helmHome();
    env.put("HELM_CACHE_HOME", home.resolve("cache").toString());
    env.put("HELM_CONFIG_HOME", home.resolve("config").toString());
    env.put("HELM_DATA_HOME", home.resolve("data").toString());
    return HostCommand.run(
        HostCommand.args(env("BRO_HELM_BIN"), args), env, null, Duration.ofMinutes(10), "helm: ");
  }

  /** e2e-node.sh check: fails unless every network confinement rule is in place. */
  public void checkNetworkConfinement() {
    script(Duration.ofMinutes(1), "check").orFail();
  }

  /** Packets the guard (mangle FORWARD: bridge to any other interface) has dropped so far. */
  public long packetsDroppedByGuard() {
    String rules =
        HostCommand.run(
                List.of("iptables", "-t", "mangle", "-L", "FORWARD", "-v", "-x", "-n"),
                Map.of(),
                null,
                Duration.ofSeconds(30),
                null)
            .orFail();
    return rules
        .lines()
        .filter(line -> line.contains("bro-e2e-guard"))
        .map(line -> Long.parseLong(line.trim().split("\\s+")[0]))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no bro-e2e-guard rule in mangle FORWARD:\n" + rules));
  }

  static HostCommand.Result script(Duration timeout, String command) {
    return HostCommand.run(
        List.of("bash", SCRIPT.toString(), command), Map.of(), null, timeout, "e2e-node.sh: ");
  }

  /** The node of this test run; {@link #close()} tears it down when the run ends. */
  private record Running(Map<String, String> env, Path helmHome)
      implements ExtensionContext.Store.CloseableResource {

    static Running up() {
      requireRootOnLinux();
      try {
        phase(
            "node up (scripts/e2e-node.sh up)",
            () -> script(Duration.ofMinutes(75), "up").orFail());
      } catch (RuntimeException | Error e) {
        // Leave nothing half-made behind: the run ends here.
        phase("node down after a failed up", () -> script(Duration.ofMinutes(10), "down").output());
        throw e;
      }
      Map<String, String> env = new HashMap<>();
      script(Duration.ofMinutes(1), "env")
          .orFail()
          .lines()
          .filter(line -> line.matches("[A-Z_0-9]+=.*"))
          .forEach(
              line ->
                  env.put(
                      line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
      try {
        return new Running(Map.copyOf(env), Files.createTempDirectory("bro-e2e-helm-"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void requireRootOnLinux() {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      if (!os.contains("linux")) {
        throw new IllegalStateException(
            "the real-node tier needs Linux (this is " + os + "); see README, Testing");
      }
      String uid =
          HostCommand.run(List.of("id", "-u"), Map.of(), null, Duration.ofSeconds(10), null)
              .orFail()
              .trim();
      if (!uid.equals("0")) {
        throw new IllegalStateException(
            "the real-node tier needs root (uid "
                + uid
                + "): it adds a bridge, a route and iptables rules; see README, Testing");
      }
    }

    @Override
    public void close() {
      phase(
          "node down (scripts/e2e-node.sh down)",
          () -> script(Duration.ofMinutes(10), "down").orFail());
      dev.backuprestore.testing.TestFiles.deleteRecursively(helmHome);
    }
  }
}
