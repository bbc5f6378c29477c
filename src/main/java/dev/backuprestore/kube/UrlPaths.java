package dev.backuprestore.kube;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** Percent-encoding for API server URL paths and query strings. */
final class UrlPaths {
  private UrlPaths() {}

  /** Encodes one path segment, so that a name can never change the path's structure. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code ?k1=v1&k2=v2} in the map's order, skipping null or empty values; "" if none. */
  static String query(Map<String, String> parameters) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    parameters.forEach(
        (key, value) -> {
          if (value != null && !value.isEmpty()) {
            query.add(
                URLEncoder.encode(key, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    return query.toString();
  }
}
