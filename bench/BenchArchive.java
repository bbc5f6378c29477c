import dev.backuprestore.archive.ArchiveLayout;
import dev.backuprestore.archive.TarGzArchiveWriter;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.ObjectCipher;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

/**
 * Benchmark helper: writes an archive of N objects with the backup's own writer and cipher
 * (TarGzArchiveWriter, ObjectCipher), shaped like the archives of bench/backup-bench.sh: half
 * ConfigMaps, half Secrets, each with one random alphanumeric value of about SIZE bytes, round robin
 * over NAMESPACES namespaces, the Namespaces themselves and filters/filters.json. Without a cluster,
 * so that the verify benchmark does not spend half an hour creating objects first.
 *
 * <p>Usage: java -cp target/backup-restore-operator.jar:target/lib/* BenchArchive.java OUT N
 * NAMESPACES SIZE [ENCRYPTION_CONFIG]
 */
public final class BenchArchive {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    int namespaces = Integer.parseInt(args[2]);
    int size = Integer.parseInt(args[3]);
    ObjectCipher cipher =
        args.length > 4
            ? ObjectCipher.of(EncryptionConfig.parse(Files.readAllBytes(Path.of(args[4]))))
            : ObjectCipher.none();
    Random random = new Random(42);
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16);
        TarGzArchiveWriter writer = new TarGzArchiveWriter(file)) {
      writer.writeFilters(
          ("{\"metadata\":{\"name\":\"bench\"},\"resourceSelectors\":[{\"apiVersion\":\"v1\","
                  + "\"kindsRegexp\":\"^namespaces$\",\"resourceNameRegexp\":\"^bench-\"},"
                  + "{\"apiVersion\":\"v1\",\"kindsRegexp\":\"^(configmaps|secrets)$\","
                  + "\"namespaceRegexp\":\"^bench-\"}],\"controllerReferences\":[]}")
              .getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < namespaces; i++) {
        String name = "bench-" + i;
        byte[] json =
            ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        writer.writeObject(
            ArchiveLayout.object("", "v1", "namespaces", null, name),
            cipher.seal("", "namespaces", null, name, json));
      }
      for (int i = 0; i < n; i++) {
        String namespace = "bench-" + (i % namespaces);
        boolean secret = i % 2 == 1;
        String name = (secret ? "secret-" : "config-") + i;
        String resource = secret ? "secrets" : "configmaps";
        String value =
            secret
                ? Base64.getEncoder()
                    .encodeToString(text(random, size * 3 / 4).getBytes(StandardCharsets.US_ASCII))
                : text(random, size);
        String json =
            "{\"apiVersion\":\"v1\",\"kind\":\""
                + (secret ? "Secret" : "ConfigMap")
                + "\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + namespace
                + "\",\"labels\":{\"bench\":\"true\"}},"
                + (secret ? "\"type\":\"Opaque\"," : "")
                + "\"data\":{\"payload\":\""
                + value
                + "\"}}";
        writer.writeObject(
            ArchiveLayout.object("", "v1", resource, namespace, name),
            cipher.seal("", resource, namespace, name, json.getBytes(StandardCharsets.UTF_8)));
      }
      writer.finish();
    }
  }

  private static String text(Random random, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(chars);
  }
}
