package dev.backuprestore.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * LISTs one resource type across all namespaces, one page ({@code limit}, default 200) at a time,
 * following {@code continue} tokens like Rancher's {@code unrollPaginatedListResult}. Pages reach
 * the consumer one at a time and in order; while the consumer works on one page, the next one is
 * already being fetched and parsed on a helper thread, so the API server's time and ours overlap (a
 * backup spends about as long archiving a page as the server takes to send it). Memory holds at
 * most two pages, never the whole list. An expired continue token (410 Gone) fails the listing, as
 * in Rancher; there is no restart.
 */
public class PaginatedLister {
  public static final int DEFAULT_PAGE_SIZE = 200;

  private final KubeJsonApi api;
  private final int pageSize;

  public PaginatedLister(KubeJsonApi api) {
    this(api, DEFAULT_PAGE_SIZE);
  }

  public PaginatedLister(KubeJsonApi api, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be positive: " + pageSize);
    }
    this.api = api;
    this.pageSize = pageSize;
  }

  /** Receives the items of one page, in the server's order. */
  @FunctionalInterface
  public interface PageConsumer {
    void accept(List<ObjectNode> items) throws IOException;
  }

  /**
   * Lists every object of {@code type} that matches {@code selectors}, page by page.
   *
   * <p>Items of built-in types come without {@code apiVersion} and {@code kind} in a list; like
   * client-go's unstructured decoding, they get the list's apiVersion and its kind minus "List".
   *
   * @return the number of objects listed
   * @throws KubeApiException when a LIST call fails
   * @throws IOException when the consumer fails
   */
  public long list(ResourceType type, ListSelectors selectors, PageConsumer consumer)
      throws IOException {
    String path = type.clusterWidePath();
    ExecutorService prefetcher =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "list-" + type.plural());
              thread.setDaemon(true);
              return thread;
            });
    try {
      ObjectNode page = api.get(path, query(selectors, ""));
      long total = 0;
      while (true) {
        List<ObjectNode> items = itemsOf(page, type);
        String continueToken = page.path("metadata").path("continue").asText("");
        Future<ObjectNode> next =
            continueToken.isEmpty()
                ? null
                : prefetcher.submit(() -> api.get(path, query(selectors, continueToken)));
        total += items.size();
        consumer.accept(items);
        if (next == null) {
          return total;
        }
        page = await(next, path);
      }
    } finally {
      prefetcher.shutdownNow();
    }
  }

  private Map<String, String> query(ListSelectors selectors, String continueToken) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("labelSelector", selectors.labelSelector());
    query.put("fieldSelector", selectors.fieldSelector());
    query.put("limit", Integer.toString(pageSize));
    query.put("continue", continueToken);
    return query;
  }

  /** The prefetched page, or the prefetch's own failure (a KubeApiException) rethrown here. */
  private static ObjectNode await(Future<ObjectNode> next, String path) {
    try {
      return next.get();
    } catch (InterruptedException e) {
      next.cancel(true);
      Thread.currentThread().interrupt();
      throw new KubeApiException("GET " + path + ": interrupted", 0, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new KubeApiException("GET " + path + ": " + cause.getMessage(), 0, cause);
    }
  }

  private static List<ObjectNode> itemsOf(ObjectNode page, ResourceType type) {
    String listApiVersion = page.path("apiVersion").asText(type.apiVersion());
    String listKind = page.path("kind").asText("");
    String itemKind =
        listKind.endsWith("List") ? listKind.substring(0, listKind.length() - 4) : type.kind();
    JsonNode items = page.path("items");
    List<ObjectNode> result = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      if (item instanceof ObjectNode object) {
        if (object.path("kind").asText("").isEmpty()
            && object.path("apiVersion").asText("").isEmpty()) {
          object.put("apiVersion", listApiVersion);
          object.put("kind", itemKind);
        }
        result.add(object);
      }
    }
    return result;
  }
}
