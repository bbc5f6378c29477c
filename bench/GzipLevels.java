import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * What a deflate setting costs and saves on backup-like data, in one JVM (no cluster):
 *
 * <pre>
 *   java bench/GzipLevels.java [DIR...]
 * </pre>
 *
 * Two inputs, each laid out as a tar would hold it (512-byte header, body, padding to 512):
 *
 * <ul>
 *   <li>"bench": 20,000 objects as bench/BenchObjects.java creates them (ConfigMaps with 2 KB of
 *       random alphanumerics, Secrets with their base64), in canonical JSON; random text leaves
 *       Lempel-Ziv almost nothing to find, so this is the worst case for compression speed;
 *   <li>"text": every .json, .yaml and .yml file under the DIRs (default: crds charts examples
 *       src/test/resources), repeated to 40 MB: CRDs, chart renders, RBAC and ResourceSets, the
 *       repeated keys and schemas a real cluster's objects are made of.
 * </ul>
 *
 * For each setting (level 6 = Go's and java.util.zip's default, levels 1 to 3, Huffman only),
 * prints compressed/raw size and MB per CPU second (this thread's CPU time, so the figure
 * holds on a busy machine), the best of 5 passes after a warm-up pass.
 */
public final class GzipLevels {
  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();
  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  public static void main(String[] args) throws IOException {
    List<String> dirs =
        args.length > 0 ? List.of(args) : List.of("crds", "charts", "examples", "src/test/resources");
    byte[] bench = benchObjects(20_000);
    byte[] text = repeatTo(textFiles(dirs), 40_000_000);
    System.out.println("| data | setting | raw MB | compressed / raw | MB per CPU second |");
    System.out.println("|---|---|---|---|---|");
    for (String[] input : new String[][] {{"bench"}, {"text"}}) {
      byte[] data = input[0].equals("bench") ? bench : text;
      for (String setting : List.of("level 6", "level 1", "level 2", "level 3", "huffman only")) {
        long size = 0;
        double best = Double.MAX_VALUE;
        for (int pass = 0; pass < 6; pass++) {
          long t0 = CPU.getCurrentThreadCpuTime();
          size = deflate(data, setting);
          double seconds = (CPU.getCurrentThreadCpuTime() - t0) / 1e9;
          if (pass > 0) {
            best = Math.min(best, seconds);
          }
        }
        System.out.printf(
            "| %s | %s | %.1f | %.3f | %.0f |%n",
            input[0], setting, data.length / 1e6, (double) size / data.length, data.length / best / 1e6);
      }
    }
  }

  private static long deflate(byte[] data, String setting) {
    Deflater deflater =
        new Deflater(setting.startsWith("level ") ? Integer.parseInt(setting.substring(6)) : 1, true);
    if (setting.equals("huffman only")) {
      deflater.setStrategy(Deflater.HUFFMAN_ONLY);
    }
    byte[] out = new byte[64 * 1024];
    long total = 0;
    for (int off = 0; off < data.length; off += 64 * 1024) {
      deflater.setInput(data, off, Math.min(64 * 1024, data.length - off));
      while (!deflater.needsInput()) {
        total += deflater.deflate(out);
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      total += deflater.deflate(out);
    }
    deflater.end();
    return total;
  }

  private static byte[] benchObjects(int count) throws IOException {
    Random random = new Random(42);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      String ns = String.format("bench-%03d", i % 100);
      String json =
          i % 2 == 1
              ? "{\"apiVersion\":\"v1\",\"data\":{\"payload\":\""
                  + Base64.getEncoder()
                      .encodeToString(text(random, 1536).getBytes(StandardCharsets.US_ASCII))
                  + "\"},\"kind\":\"Secret\",\"metadata\":{\"labels\":{\"bench\":\"true\"},"
                  + "\"name\":\"secret-" + i + "\",\"namespace\":\"" + ns + "\"},\"type\":\"Opaque\"}"
              : "{\"apiVersion\":\"v1\",\"data\":{\"payload\":\"" + text(random, 2048)
                  + "\"},\"kind\":\"ConfigMap\",\"metadata\":{\"labels\":{\"bench\":\"true\"},"
                  + "\"name\":\"cm-" + i + "\",\"namespace\":\"" + ns + "\"}}";
      entry(tar, json.getBytes(StandardCharsets.UTF_8));
    }
    return tar.toByteArray();
  }

  private static byte[] textFiles(List<String> dirs) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    List<Path> files = new ArrayList<>();
    for (String dir : dirs) {
      if (Files.isDirectory(Path.of(dir))) {
        try (Stream<Path> walk = Files.walk(Path.of(dir))) {
          walk.filter(p -> p.toString().matches(".*\\.(json|ya?ml)$")).sorted().forEach(files::add);
        }
      }
    }
    for (Path file : files) {
      entry(tar, Files.readAllBytes(file));
    }
    System.out.printf("text: %d files, %d bytes%n%n", files.size(), tar.size());
    return tar.toByteArray();
  }

  private static byte[] repeatTo(byte[] data, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (out.size() < size) {
      out.writeBytes(data);
    }
    return out.toByteArray();
  }

  private static void entry(ByteArrayOutputStream tar, byte[] body) {
    tar.writeBytes(new byte[512]); // a header: mostly zeros and short fields
    tar.writeBytes(body);
    tar.writeBytes(new byte[(512 - body.length % 512) % 512]);
  }

  private static String text(Random random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(chars);
  }
}
