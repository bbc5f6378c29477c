import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Benchmark helper, run in source-file mode against a throw-away control plane on 127.0.0.1:
 *
 * <pre>
 *   java -cp 'target/lib/*' bench/BenchObjects.java create SERVER TOKEN COUNT NAMESPACES SIZE IN_FLIGHT
 *   java -cp 'target/lib/*' bench/BenchObjects.java list   SERVER TOKEN PAGE_SIZE ROUNDS RESOURCE...
 * </pre>
 *
 * create: namespaces bench-000.. then COUNT objects, half ConfigMaps and half Secrets, spread round
 * robin over the namespaces, each with one data value of about SIZE bytes (random alphanumerics, so
 * gzip cannot make them vanish), IN_FLIGHT concurrent POSTs over HTTP/2. Prints one line
 * "created=N seconds=S objects_per_s=R".
 *
 * <p>list: the floor of a backup: a sequential, paginated, cluster-wide LIST of each resource (e.g.
 * configmaps secrets) with limit PAGE_SIZE, every page parsed into a Jackson tree and dropped, as
 * a client that keeps one page in memory would, ROUNDS times in one JVM (the first round is cold,
 * the later ones show the JIT-warm floor). Prints "round=I listed=N seconds=S objects_per_s=R cpu_s=C cpu_delta_s=D"
 * per round (C: this JVM's CPU seconds so far, start-up included; D: since the previous line).
 *
 * <p>TLS is not verified: the server is a local test apiserver with a self-signed certificate.
 */
public final class BenchObjects {
  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final int MAX_ATTEMPTS = 5;

  public static void main(String[] args) throws Exception {
    System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    if (args.length < 3) {
      usage();
    }
    String server = args[1];
    String token = args[2];
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(trustAll())
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    switch (args[0]) {
      case "create" -> {
        if (args.length != 7) {
          usage();
        }
        create(
            new Api(http, server, token),
            Integer.parseInt(args[3]),
            Integer.parseInt(args[4]),
            Integer.parseInt(args[5]),
            Integer.parseInt(args[6]));
      }
      case "list" -> {
        if (args.length < 6) {
          usage();
        }
        for (int round = 1; round <= Integer.parseInt(args[4]); round++) {
          System.out.print("round=" + round + " ");
          list(
              new Api(http, server, token),
              Integer.parseInt(args[3]),
              List.of(args).subList(5, args.length));
        }
      }
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println(
        "usage: BenchObjects create SERVER TOKEN COUNT NAMESPACES SIZE IN_FLIGHT\n"
            + "       BenchObjects list SERVER TOKEN PAGE_SIZE ROUNDS RESOURCE...");
    System.exit(2);
  }

  static String namespace(int i) {
    return String.format("bench-%03d", i);
  }

  private static void create(Api api, int count, int namespaces, int size, int inFlight)
      throws Exception {
    long start = System.nanoTime();
    for (int n = 0; n < namespaces; n++) {
      String body =
          "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
              + namespace(n)
              + "\"}}";
      api.post("/api/v1/namespaces", body, true).join();
    }
    Random random = new Random(42);
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong created = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < count && failure.get() == null; i++) {
      String ns = namespace(i % namespaces);
      boolean secret = i % 2 == 1;
      String path;
      String body;
      if (secret) {
        // base64 grows by 4/3: draw 3/4 of SIZE so the stored value is about SIZE bytes.
        byte[] raw = randomText(random, size * 3 / 4).getBytes(StandardCharsets.US_ASCII);
        path = "/api/v1/namespaces/" + ns + "/secrets";
        body =
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"secret-"
                + i
                + "\",\"labels\":{\"bench\":\"true\"}},\"type\":\"Opaque\",\"data\":{\"payload\":\""
                + Base64.getEncoder().encodeToString(raw)
                + "\"}}";
      } else {
        path = "/api/v1/namespaces/" + ns + "/configmaps";
        body =
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-"
                + i
                + "\",\"labels\":{\"bench\":\"true\"}},\"data\":{\"payload\":\""
                + randomText(random, size)
                + "\"}}";
      }
      slots.acquire();
      api.post(path, body, false)
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                } else {
                  created.incrementAndGet();
                }
                slots.release();
              });
    }
    if (!slots.tryAcquire(inFlight, 10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("creates did not finish within 10 minutes");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a create failed", failure.get());
    }
    report("created", created.get(), start);
  }

  private static void list(Api api, int pageSize, List<String> resources) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    long start = System.nanoTime();
    long listed = 0;
    int pages = 0;
    for (String resource : resources) {
      String continueToken = "";
      do {
        String path =
            "/api/v1/" + resource + "?limit=" + pageSize
                + (continueToken.isEmpty()
                    ? ""
                    : "&continue=" + URLEncoder.encode(continueToken, StandardCharsets.UTF_8));
        JsonNode page = mapper.readTree(api.get(path));
        listed += page.path("items").size();
        continueToken = page.path("metadata").path("continue").asText("");
        pages++;
      } while (!continueToken.isEmpty() && pages < 1_000_000);
    }
    report("listed", listed, start);
  }

  private static void report(String what, long objects, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double cpu = processCpuSeconds();
    System.out.printf(
        "%s=%d seconds=%.2f objects_per_s=%.0f cpu_s=%.1f cpu_delta_s=%.1f%n",
        what, objects, seconds, objects / seconds, cpu, cpu - lastCpuSeconds);
    lastCpuSeconds = cpu;
  }

  private static double lastCpuSeconds;

  /** User+system CPU of this JVM so far (all threads: JIT and GC included). */
  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  private static String randomText(Random random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(chars);
  }

  private static SSLContext trustAll() throws Exception {
    TrustManager trustEverything =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trustEverything}, new SecureRandom());
    return context;
  }

  /** POST with a bounded retry on 429/5xx and transport errors (the apiserver may shed load). */
  record Api(HttpClient http, String server, String token) {
    CompletableFuture<Void> post(String path, String body, boolean existingIsFine) {
      return attempt(path, body, existingIsFine, 1);
    }

    private CompletableFuture<Void> attempt(
        String path, String body, boolean existingIsFine, int attempt) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(server + path))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(60))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .handle(
              (response, error) -> {
                int code = response == null ? 0 : response.statusCode();
                if (error == null && (code / 100 == 2 || (existingIsFine && code == 409))) {
                  return CompletableFuture.<Void>completedFuture(null);
                }
                boolean retriable = error != null || code == 429 || code >= 500;
                if (retriable && attempt < MAX_ATTEMPTS) {
                  return CompletableFuture.runAsync(
                          () -> {},
                          CompletableFuture.delayedExecutor(200L * attempt, TimeUnit.MILLISECONDS))
                      .thenCompose(x -> attempt(path, body, existingIsFine, attempt + 1));
                }
                String why =
                    error != null
                        ? error.toString()
                        : code + " " + response.body().substring(0, Math.min(300, response.body().length()));
                return CompletableFuture.<Void>failedFuture(
                    new IllegalStateException("POST " + path + ": " + why));
              })
          .thenCompose(f -> f);
    }

    byte[] get(String path) throws Exception {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(server + path))
              .header("Authorization", "Bearer " + token)
              .header("Accept", "application/json")
              .timeout(Duration.ofSeconds(120))
              .GET()
              .build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + ": " + response.statusCode());
      }
      return response.body();
    }
  }
}
