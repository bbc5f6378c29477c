package dev.backuprestore.restore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Puts every non-CRD object of a plan into a wave. Objects of one wave do not depend on each other
 * and are applied in parallel; waves run in ascending order. An object's wave is the largest of its
 * type's {@link RestorePriorities} rank and one more than the wave of each archived owner (longest
 * path over the ownerReference graph, Kahn's algorithm), so owners always come first.
 *
 * <p>All cluster-scoped waves come before all namespaced ones, so cluster-scoped owners of
 * namespaced objects are always earlier. Edges the garbage collector itself rejects (a namespaced
 * owner of a cluster-scoped object) and edges to CRDs (applied before everything) are ignored. A
 * cycle of owner references is broken at its earliest-ranked object, with a warning.
 */
final class WavePlanner {
  private WavePlanner() {}

  static void plan(RestorePlan plan) {
    List<PlannedObject> cluster = new ArrayList<>();
    List<PlannedObject> namespaced = new ArrayList<>();
    for (PlannedObject object : plan.objects()) {
      if (object.isCrd()) {
        object.wave(0);
      } else if (object.isNamespaced()) {
        namespaced.add(object);
      } else {
        cluster.add(object);
      }
    }
    List<String> warnings = new ArrayList<>();
    TreeSet<Integer> clusterWaves = new TreeSet<>();
    TreeSet<Integer> namespacedWaves = new TreeSet<>();
    new Graph(plan, cluster, 0, true, warnings).assign(clusterWaves);
    int offset = clusterWaves.isEmpty() ? 0 : clusterWaves.last() + 1;
    new Graph(plan, namespaced, offset, false, warnings).assign(namespacedWaves);
    plan.waves(List.copyOf(clusterWaves), List.copyOf(namespacedWaves), warnings);
  }

  /** The owner graph of one phase's objects. */
  private static final class Graph {
    private final List<PlannedObject> nodes;
    private final int offset;
    private final boolean clusterScoped;
    private final List<String> warnings;
    private final Map<PlannedObject, List<PlannedObject>> dependents = new IdentityHashMap<>();
    private final Map<PlannedObject, int[]> pendingOwners = new IdentityHashMap<>();
    private final Map<PlannedObject, int[]> waves = new IdentityHashMap<>();

    Graph(
        RestorePlan plan,
        List<PlannedObject> nodes,
        int offset,
        boolean clusterScoped,
        List<String> warnings) {
      this.nodes = nodes;
      this.offset = offset;
      this.clusterScoped = clusterScoped;
      this.warnings = warnings;
      for (PlannedObject node : nodes) {
        waves.put(node, new int[] {base(node)});
        pendingOwners.put(node, new int[] {0});
      }
      for (PlannedObject node : nodes) {
        for (OwnerRef ref : node.owners()) {
          plan.findOwner(ref, node.path().namespace())
              .filter(owner -> owner != node && pendingOwners.containsKey(owner))
              .ifPresent(
                  owner -> {
                    dependents.computeIfAbsent(owner, o -> new ArrayList<>(2)).add(node);
                    pendingOwners.get(node)[0]++;
                  });
        }
      }
    }

    private int base(PlannedObject node) {
      return offset
          + (clusterScoped
              ? RestorePriorities.clusterRank(node.path())
              : RestorePriorities.namespacedRank(node.path()));
    }

    void assign(TreeSet<Integer> usedWaves) {
      Deque<PlannedObject> ready = new ArrayDeque<>();
      for (PlannedObject node : nodes) {
        if (pendingOwners.get(node)[0] == 0) {
          ready.add(node);
        }
      }
      int done = 0;
      while (done < nodes.size()) {
        if (ready.isEmpty()) {
          ready.add(breakCycle());
        }
        PlannedObject node = ready.poll();
        int wave = waves.get(node)[0];
        node.wave(wave);
        usedWaves.add(wave);
        done++;
        for (PlannedObject dependent : dependents.getOrDefault(node, List.of())) {
          if (dependent.wave() >= 0) {
            continue; // an edge dropped to break a cycle
          }
          raise(dependent, wave + 1);
          if (--pendingOwners.get(dependent)[0] == 0) {
            ready.add(dependent);
          }
        }
      }
    }

    private void raise(PlannedObject node, int atLeast) {
      int[] wave = waves.get(node);
      wave[0] = Math.max(wave[0], atLeast);
    }

    /** The unplaced object with the lowest wave so far goes next, ignoring its unplaced owners. */
    private PlannedObject breakCycle() {
      PlannedObject chosen = null;
      for (PlannedObject node : nodes) {
        if (node.wave() < 0 && (chosen == null || waves.get(node)[0] < waves.get(chosen)[0])) {
          chosen = node;
        }
      }
      pendingOwners.get(chosen)[0] = 0;
      warnings.add(
          chosen.describe()
              + ": its ownerReferences form a cycle; applied before some of its owners");
      return chosen;
    }
  }
}
