package dev.backuprestore.operator;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The operator's version, stamped into the jar by the build. */
public final class Version {
  private Version() {}

  public static String current() {
    try (InputStream in =
        Version.class.getResourceAsStream("/dev/backuprestore/version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "dev");
      return version.startsWith("${") ? "dev" : version;
    } catch (IOException e) {
      return "dev";
    }
  }
}
