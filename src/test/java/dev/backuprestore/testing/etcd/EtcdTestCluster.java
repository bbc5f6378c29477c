package dev.backuprestore.testing.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backuprestore.etcd.client.EtcdTls;
import dev.backuprestore.testing.ControlPlaneBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real etcd cluster of N members on 127.0.0.1 with mutual TLS for clients and peers, from the
 * etcd binary that scripts/control-plane.sh builds. Certificates are made at test time ({@link
 * EtcdTestCertificates}); ports are free loopback ports. A JUnit 5 extension:
 *
 * <pre>{@code
 * @RegisterExtension static EtcdTestCluster etcd = EtcdTestCluster.members(3);
 * @RegisterExtension static EtcdTestCluster full = EtcdTestCluster.members(1).quotaBackendBytes(0, 2 << 20);
 * }</pre>
 *
 * <p>It can also be used on its own ({@link #start()} / {@link #close()}), e.g. in a benchmark.
 */
public final class EtcdTestCluster implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final int size;
  private final Map<Integer, Long> quotas = new HashMap<>();
  private final List<Member> members = new ArrayList<>();
  private ControlPlaneBinaries binaries;
  private Path workDir;
  private EtcdTestCertificates certificates;
  private HttpClient http;
  private String token;

  /** One member of the cluster. */
  public static final class Member {
    private final int index;
    private final String name;
    private final int clientPort;
    private final int peerPort;
    private final Path dataDir;
    private Process process;

    private Member(int index, String name, int clientPort, int peerPort, Path dataDir) {
      this.index = index;
      this.name = name;
      this.clientPort = clientPort;
      this.peerPort = peerPort;
      this.dataDir = dataDir;
    }

    public int index() {
      return index;
    }

    public String name() {
      return name;
    }

    public String clientUrl() {
      return "https://127.0.0.1:" + clientPort;
    }

    public String peerUrl() {
      return "https://127.0.0.1:" + peerPort;
    }

    public Path dataDir() {
      return dataDir;
    }

    public boolean isRunning() {
      return process != null && process.isAlive();
    }
  }

  private EtcdTestCluster(int size) {
    this.size = size;
  }

  /** A cluster of {@code size} members named m1, m2, ... */
  public static EtcdTestCluster members(int size) {
    return new EtcdTestCluster(size);
  }

  /** Starts member {@code index} (0-based) with a tiny {@code --quota-backend-bytes}. */
  public EtcdTestCluster quotaBackendBytes(int index, long bytes) {
    quotas.put(index, bytes);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Starts every member and waits until each one serves a quorum read. */
  public synchronized void start() throws IOException, InterruptedException {
    binaries = ControlPlaneBinaries.locate();
    workDir = Files.createTempDirectory("etcd-test-cluster");
    certificates = EtcdTestCertificates.generate(workDir);
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(clientTls().sslContext())
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    token = "etcd-test-" + Long.toHexString(System.nanoTime());
    for (int i = 0; i < size; i++) {
      members.add(
          new Member(i, "m" + (i + 1), freePort(), freePort(), workDir.resolve("m" + (i + 1))));
    }
    long began = System.nanoTime();
    for (Member member : members) {
      launch(member);
    }
    for (Member member : members) {
      awaitHealthy(member);
    }
    System.out.printf(
        "EtcdTestCluster: %d members (etcd %s, mTLS) healthy in %d ms%n",
        size, binaries.etcdVersion(), (System.nanoTime() - began) / 1_000_000);
  }

  private void launch(Member member) throws IOException {
    String initialCluster =
        members.stream().map(m -> m.name + "=" + m.peerUrl()).collect(Collectors.joining(","));
    List<String> command = new ArrayList<>();
    command.add(binaries.etcd().toString());
    command.addAll(
        List.of(
            "--name=" + member.name,
            "--data-dir=" + member.dataDir,
            "--listen-client-urls=" + member.clientUrl(),
            "--advertise-client-urls=" + member.clientUrl(),
            "--listen-peer-urls=" + member.peerUrl(),
            "--initial-advertise-peer-urls=" + member.peerUrl(),
            "--initial-cluster=" + initialCluster,
            "--initial-cluster-token=" + token,
            "--initial-cluster-state=new",
            "--client-cert-auth",
            "--trusted-ca-file=" + certificates.caFile(),
            "--cert-file=" + certificates.serverCert(),
            "--key-file=" + certificates.serverKey(),
            "--peer-client-cert-auth",
            "--peer-trusted-ca-file=" + certificates.caFile(),
            "--peer-cert-file=" + certificates.serverCert(),
            "--peer-key-file=" + certificates.serverKey(),
            "--listen-metrics-urls=http://127.0.0.1:" + freePort(),
            "--log-level=warn"));
    Long quota = quotas.get(member.index);
    if (quota != null) {
      command.add("--quota-backend-bytes=" + quota);
    }
    Path log = workDir.resolve(member.name + ".log");
    member.process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  private void awaitHealthy(Member member) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!member.process.isAlive()) {
        throw new IllegalStateException(
            "etcd member " + member.name + " exited: " + tail(member.name + ".log"));
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(member.clientUrl() + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        last = response.body();
        if (response.statusCode() == 200 && last.contains("\"true\"")) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "etcd member " + member.name + " not healthy in " + START_TIMEOUT + ": " + last);
  }

  private String tail(String logName) {
    try {
      List<String> lines = Files.readAllLines(workDir.resolve(logName));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  public List<Member> members() {
    return List.copyOf(members);
  }

  public Member member(int index) {
    return members.get(index);
  }

  /** Client URLs of all members. */
  public List<String> clientUrls() {
    return members.stream().map(Member::clientUrl).toList();
  }

  /** The client certificate, key and CA as the operator reads them. */
  public EtcdTls clientTls() {
    return EtcdTls.fromFiles(
        certificates.caFile(), certificates.clientCert(), certificates.clientKey());
  }

  public Path caFile() {
    return certificates.caFile();
  }

  public Path clientCertFile() {
    return certificates.clientCert();
  }

  public Path clientKeyFile() {
    return certificates.clientKey();
  }

  public Path workDir() {
    return workDir;
  }

  public ControlPlaneBinaries binaries() {
    return binaries;
  }

  /** Stops a member gracefully (SIGTERM) and waits for it to exit. */
  public void stop(int index) throws InterruptedException {
    Process process = members.get(index).process;
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Kills a member (SIGKILL), as a crash would. */
  public void kill(int index) throws InterruptedException {
    members.get(index).process.destroyForcibly().waitFor();
  }

  /** Starts a stopped member again on its data directory and waits until it is healthy. */
  public void restart(int index) throws IOException, InterruptedException {
    Member member = members.get(index);
    if (member.isRunning()) {
      return;
    }
    launch(member);
    awaitHealthy(member);
  }

  /** Writes a key through member {@code index} (etcd's JSON gateway). */
  public void put(int index, String key, byte[] value) throws IOException, InterruptedException {
    Map<String, String> body =
        Map.of(
            "key", Base64.getEncoder().encodeToString(key.getBytes()),
            "value", Base64.getEncoder().encodeToString(value));
    HttpResponse<String> response = post(index, "/v3/kv/put", JSON.writeValueAsString(body));
    if (response.statusCode() != 200) {
      throw new IOException(
          "put " + key + " on " + members.get(index).name + ": " + response.body());
    }
  }

  /** Posts a gateway request to member {@code index}; returns the response as is. */
  public HttpResponse<String> post(int index, String path, String json)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(members.get(index).clientUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The active alarms, as etcd's gateway returns them. */
  public JsonNode alarms(int index) throws IOException, InterruptedException {
    return JSON.readTree(post(index, "/v3/maintenance/alarm", "{\"action\":\"GET\"}").body());
  }

  @Override
  public synchronized void close() {
    for (Member member : members) {
      if (member.process != null) {
        member.process.destroyForcibly();
        try {
          member.process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    members.clear();
    if (workDir != null) {
      try (Stream<Path> files = Files.walk(workDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
