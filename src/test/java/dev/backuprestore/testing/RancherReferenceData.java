package dev.backuprestore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rancher's reference data, vendored under {@code src/test/resources/rancher/} (see the NOTICE
 * there: files of rancher/backup-restore-operator, Apache-2.0) and read from the test classpath, so
 * that the tests need nothing outside the repository.
 */
public final class RancherReferenceData {
  private static final String ROOT = "rancher/";

  private RancherReferenceData() {}

  /** A directory of the reference data, e.g. {@code dir("crds")}. */
  public static Path dir(String child) {
    Path path = path(child);
    if (!Files.isDirectory(path)) {
      throw new IllegalStateException("not a directory of the reference data: " + ROOT + child);
    }
    return path;
  }

  /** The text of one file, e.g. {@code text("collector-testdata/pets01.yaml")}. */
  public static String text(String file) {
    try {
      return Files.readString(path(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read reference data " + ROOT + file, e);
    }
  }

  private static Path path(String child) {
    URL url = RancherReferenceData.class.getClassLoader().getResource(ROOT + child);
    if (url == null) {
      throw new IllegalStateException(
          "Rancher reference data "
              + ROOT
              + child
              + " is not on the test classpath (src/test/resources/"
              + ROOT
              + ")");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IllegalStateException("reference data " + url + " is not a file", e);
    }
  }
}
