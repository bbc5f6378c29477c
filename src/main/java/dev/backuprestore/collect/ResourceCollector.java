package dev.backuprestore.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.kube.Discovery;
import dev.backuprestore.kube.GroupVersion;
import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.kube.KubeJsonApi;
import dev.backuprestore.kube.ListSelectors;
import dev.backuprestore.kube.MetadataCleaner;
import dev.backuprestore.kube.PaginatedLister;
import dev.backuprestore.kube.ResourceType;
import dev.backuprestore.kube.SelectorStrings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a ResourceSet's selectors into a stream of cleaned objects, with Rancher's semantics
 * ({@code pkg/resourcesets/collector.go}). For each selector, in order:
 *
 * <ol>
 *   <li>discovery of its apiVersion; a group/version that is not served is skipped;
 *   <li>{@link SelectorFilters#filterByKind}; subresources ({@code /} in the name) are skipped;
 *   <li>a type without the {@code list} verb but with {@code get} is fetched by GET for each
 *       resourceNames × namespaces (names only for cluster-scoped types), unfiltered; a type with
 *       neither verb is skipped;
 *   <li>otherwise a paginated, cluster-wide LIST with the label and field selectors, then the name
 *       filter and, for namespaced types with a namespace filter, the namespace filter.
 * </ol>
 *
 * Each kept object goes through {@link MetadataCleaner} (objects being deleted without finalizers
 * are dropped) and then to the sink.
 *
 * <p><b>Duplicates differ on purpose.</b> Rancher appends the objects of every selector and writes
 * an object matched twice to the same archive path twice (the last write wins; the content is the
 * same up to the time between the LISTs). We hand each archive path ({@code
 * <plural>.<group>#<version>/[<namespace>/]<name>}) to the sink at most once, the first time it is
 * matched, so the archive never holds two entries for one path. An object can only be matched twice
 * when two selectors (or one selector's repeated names) collect the same type, so before
 * collecting, every selector's types are resolved (discovery only) and paths are remembered only
 * for the types that a later selector collects again, and only until that last selector: a
 * ResourceSet whose selectors do not overlap (the usual case, and every benchmark) keeps no
 * per-object memory at all, whatever the number of objects. Overlapping types cost a short string
 * per object of theirs (about 100 bytes). For the same reason Rancher's GET-path quirk (the GET
 * results replace what earlier selectors collected for that type) has no effect here.
 *
 * <p>Discovery results are cached per run: a ResourceSet usually names the same apiVersion in many
 * selectors.
 */
public class ResourceCollector {
  private static final Logger log = LoggerFactory.getLogger(ResourceCollector.class);

  private final Discovery discovery;
  private final PaginatedLister lister;
  private final KubeJsonApi api;

  public ResourceCollector(KubernetesClient client) {
    this(new KubeJsonApi(client));
  }

  public ResourceCollector(KubeJsonApi api) {
    this(new Discovery(api), new PaginatedLister(api), api);
  }

  public ResourceCollector(Discovery discovery, PaginatedLister lister, KubeJsonApi api) {
    this.discovery = discovery;
    this.lister = lister;
    this.api = api;
  }

  /**
   * Collects every object the selectors match and hands each one, cleaned, to {@code sink}.
   *
   * @throws CollectionException when a selector is invalid or an API call fails
   * @throws IOException when the sink fails
   */
  public CollectionSummary collect(List<ResourceSelector> selectors, CollectedObjectSink sink)
      throws IOException {
    Run run = new Run(sink);
    run.plan(selectors);
    for (ResourceSelector selector : selectors) {
      run.collect(selector);
    }
    return run.summary();
  }

  /** The state of one collection run: discovery cache, paths seen, counters. */
  private final class Run {
    private final CollectedObjectSink sink;
    private final Map<String, List<ResourceType>> discovered = new HashMap<>();

    /** For each type collected more than once: how many collections of it are still to come. */
    private final Map<String, Integer> collectionsLeft = new HashMap<>();

    /** Paths seen, only for types that another collection will visit again. */
    private final Map<String, Set<String>> pathsSeen = new HashMap<>();

    private long collected;
    private long duplicatesSkipped;
    private long deletingSkipped;

    Run(CollectedObjectSink sink) {
      this.sink = sink;
    }

    CollectionSummary summary() {
      return new CollectionSummary(collected, duplicatesSkipped, deletingSkipped);
    }

    /**
     * Counts, per type, the collections the selectors will make of it. A selector whose types
     * cannot be resolved ends the count: the run fails when it reaches that selector, so nothing
     * after it is collected.
     */
    void plan(List<ResourceSelector> selectors) {
      Map<String, Integer> counts = new HashMap<>();
      for (ResourceSelector selector : selectors) {
        List<ResourceType> types;
        try {
          String apiVersion = selector.getApiVersion() == null ? "" : selector.getApiVersion();
          types = selectTypes(apiVersion, new SelectorFilters(selector));
        } catch (RuntimeException e) {
          break;
        }
        for (ResourceType type : types) {
          if (!type.isSubresource()) {
            counts.merge(typeKey(type), 1, Integer::sum);
          }
        }
      }
      counts.forEach(
          (type, count) -> {
            if (count > 1) {
              collectionsLeft.put(type, count);
            }
          });
    }

    /** Starts one collection of {@code type}: the set of its paths, or null when not needed. */
    private Set<String> startCollection(ResourceType type) {
      String key = typeKey(type);
      Integer left = collectionsLeft.get(key);
      if (left == null) {
        return null;
      }
      collectionsLeft.put(key, left - 1);
      return pathsSeen.computeIfAbsent(key, k -> new HashSet<>());
    }

    /** Ends one collection of {@code type}; after the last one its paths are dropped. */
    private void endCollection(ResourceType type) {
      String key = typeKey(type);
      Integer left = collectionsLeft.get(key);
      if (left != null && left == 0) {
        collectionsLeft.remove(key);
        pathsSeen.remove(key);
      }
    }

    void collect(ResourceSelector selector) throws IOException {
      String apiVersion = selector.getApiVersion() == null ? "" : selector.getApiVersion();
      SelectorFilters filters = new SelectorFilters(selector);
      List<ResourceType> types = selectTypes(apiVersion, filters);
      try {
        GroupVersion.parse(apiVersion);
      } catch (IllegalArgumentException e) {
        throw new CollectionException(e.getMessage(), true, e);
      }
      ListSelectors listSelectors = null;
      for (ResourceType type : types) {
        if (type.isSubresource()) {
          log.debug("Skipping subresource {}", type);
        } else if (type.canList()) {
          if (listSelectors == null) {
            listSelectors = listSelectors(selector);
          }
          Set<String> seen = startCollection(type);
          collectByList(type, listSelectors, filters, seen);
          endCollection(type);
        } else if (type.canGet()) {
          Set<String> seen = startCollection(type);
          collectByGet(type, selector, seen);
          endCollection(type);
        } else {
          log.info("Not collecting objects of {}: it has neither the list nor the get verb", type);
        }
      }
    }

    private List<ResourceType> selectTypes(String apiVersion, SelectorFilters filters) {
      try {
        List<ResourceType> served = discovered.get(apiVersion);
        if (served == null) {
          served = discovery.resourcesFor(apiVersion);
          discovered.put(apiVersion, served);
          if (served.isEmpty()) {
            log.info("No resources served for groupVersion {}, skipping it", apiVersion);
          }
        }
        return filters.filterByKind(served);
      } catch (KubeApiException e) {
        throw new CollectionException(e.getMessage(), e.isPermanent(), e);
      } catch (CollectionException e) {
        throw new CollectionException(
            "error gathering resource for " + apiVersion + ": " + e.getMessage(), true, e);
      }
    }

    private ListSelectors listSelectors(ResourceSelector selector) {
      try {
        return new ListSelectors(
            SelectorStrings.labelSelector(selector.getLabelSelectors()),
            SelectorStrings.fieldSelector(selector.getFieldSelectors()));
      } catch (IllegalArgumentException e) {
        throw new CollectionException(
            "invalid labelSelectors in the selector for "
                + selector.getApiVersion()
                + ": "
                + e.getMessage(),
            true,
            e);
      }
    }

    private void collectByList(
        ResourceType type, ListSelectors listSelectors, SelectorFilters filters, Set<String> seen)
        throws IOException {
      Predicate<String> names = filters.nameFilter();
      Predicate<String> namespaces =
          type.namespaced() && filters.hasNamespaceFilter()
              ? filters.namespaceFilter()
              : namespace -> true;
      try {
        lister.list(
            type,
            listSelectors,
            page -> {
              for (ObjectNode object : page) {
                if (names.test(SelectorFilters.nameOf(object))
                    && namespaces.test(SelectorFilters.namespaceOf(object))) {
                  emit(type, object, seen);
                }
              }
            });
      } catch (KubeApiException e) {
        throw new CollectionException(
            "listing " + type + ": " + e.getMessage(), e.isPermanent(), e);
      }
    }

    /** Rancher's path for types that allow get but not list: exact names only, no filters. */
    private void collectByGet(ResourceType type, ResourceSelector selector, Set<String> seen)
        throws IOException {
      List<String> names = orEmpty(selector.getResourceNames());
      List<String> namespaces = orEmpty(selector.getNamespaces());
      // Repeated names or namespaces fetch one object twice; the set is as small as the lists.
      Set<String> paths = seen != null ? seen : new HashSet<>();
      if (names.isEmpty()) {
        log.info(
            "Cannot get objects of {}: it does not allow list and no resourceNames are given",
            type);
        return;
      }
      if (type.namespaced() && namespaces.isEmpty()) {
        log.info(
            "Cannot get objects of {}: it does not allow list and no namespaces are given", type);
        return;
      }
      for (String namespace : type.namespaced() ? namespaces : List.of("")) {
        for (String name : names) {
          ObjectNode object;
          try {
            object = api.get(type.objectPath(namespace, name), Map.of());
          } catch (KubeApiException e) {
            String what = type + " " + (type.namespaced() ? namespace + "/" : "") + name;
            throw new CollectionException(
                "getting " + what + ": " + e.getMessage(), e.isPermanent(), e);
          }
          if (object.path("kind").asText("").isEmpty()) {
            object.put("apiVersion", type.apiVersion());
            object.put("kind", type.kind());
          }
          emit(type, object, paths);
        }
      }
    }

    private void emit(ResourceType type, ObjectNode object, Set<String> seen) throws IOException {
      if (MetadataCleaner.isDeletingWithoutFinalizers(object)) {
        deletingSkipped++;
        return;
      }
      if (seen != null && !seen.add(archivePath(type, object))) {
        duplicatesSkipped++;
        return;
      }
      MetadataCleaner.removeServerFields(object);
      sink.accept(type, object);
      collected++;
    }
  }

  /** A type's identity in archive paths: plural, group and version. */
  private static String typeKey(ResourceType type) {
    return type.plural() + '.' + type.group() + '#' + type.version();
  }

  /** Rancher's archive path of an object; only used here as the identity for duplicates. */
  private static String archivePath(ResourceType type, ObjectNode object) {
    StringBuilder path =
        new StringBuilder(type.plural()).append('.').append(type.group()).append('#');
    path.append(type.version()).append('/');
    if (type.namespaced()) {
      path.append(SelectorFilters.namespaceOf(object)).append('/');
    }
    return path.append(SelectorFilters.nameOf(object)).toString();
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }
}
