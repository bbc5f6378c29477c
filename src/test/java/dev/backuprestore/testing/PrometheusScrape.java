package dev.backuprestore.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a {@code /metrics} endpoint in the Prometheus text format (0.0.4), parsed: the
 * {@code # TYPE} of each metric family and every sample with its labels, as Prometheus reads them.
 *
 * @param types metric family name to type ({@code counter}, {@code gauge}, {@code histogram}...)
 * @param samples every sample line, in order
 */
public record PrometheusScrape(Map<String, String> types, List<Sample> samples) {

  /** One sample line: {@code name{labels} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** GETs {@code http://127.0.0.1:<port>/metrics}, as Prometheus would, without Accept header. */
  public static PrometheusScrape scrape(int port) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET /metrics answered " + response.statusCode());
    }
    return parse(response.body());
  }

  public static PrometheusScrape parse(String text) {
    Map<String, String> types = new HashMap<>();
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      } else if (!line.startsWith("#")) {
        samples.add(sample(line));
      }
    }
    return new PrometheusScrape(Map.copyOf(types), List.copyOf(samples));
  }

  /** The samples of one series name (e.g. {@code x_bucket}). */
  public List<Sample> series(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The samples of a series name whose label {@code label} has {@code value}. */
  public List<Sample> series(String name, String label, String value) {
    return series(name).stream().filter(s -> value.equals(s.labels().get(label))).toList();
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (brace < 0 || brace > space) {
      String[] parts = line.split(" ");
      return new Sample(parts[0], Map.of(), value(parts[1]));
    }
    String name = line.substring(0, brace);
    Map<String, String> labels = new LinkedHashMap<>();
    int i = brace + 1;
    while (line.charAt(i) != '}') {
      int equals = line.indexOf('=', i);
      String label = line.substring(i, equals);
      StringBuilder value = new StringBuilder();
      int j = equals + 2; // after ="
      while (line.charAt(j) != '"') {
        char c = line.charAt(j);
        if (c == '\\') {
          char escaped = line.charAt(++j);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
        j++;
      }
      labels.put(label, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    String[] rest = line.substring(i + 1).trim().split(" ");
    return new Sample(name, labels, value(rest[0]));
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
