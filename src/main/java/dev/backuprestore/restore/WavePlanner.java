package dev.backuprestore.restore;

import dev.backuprestore.archive.ObjectPath;
import java.util.ArrayList;
import java.util.List;
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
  private static final int CRD = 0;
  private static final int CLUSTER = 1;
  private static final int NAMESPACED = 2;

  private WavePlanner() {}

  static void plan(RestorePlan plan) {
    PlanStore store = plan.store();
    int size = store.size();
    byte[] phase = new byte[size];
    int[] base = new int[size];
    int[][] rankByType = new int[3][store.typeCount()];
    for (int[] ranks : rankByType) {
      java.util.Arrays.fill(ranks, -1);
    }
    for (int i = 0; i < size; i++) {
      PlannedObject object = new PlannedObject(store, i);
      if (object.isCrd()) {
        phase[i] = CRD;
        store.wave(i, 0);
      } else {
        phase[i] = (byte) (object.isNamespaced() ? NAMESPACED : CLUSTER);
        int[] ranks = rankByType[phase[i]];
        int type = store.type(i);
        if (ranks[type] < 0) {
          ObjectPath path = store.path(i);
          ranks[type] =
              phase[i] == CLUSTER
                  ? RestorePriorities.clusterRank(path)
                  : RestorePriorities.namespacedRank(path);
        }
        base[i] = ranks[type];
      }
    }
    Edges edges = Edges.of(plan, phase);
    List<String> warnings = new ArrayList<>();
    TreeSet<Integer> clusterWaves = new TreeSet<>();
    TreeSet<Integer> namespacedWaves = new TreeSet<>();
    new Graph(store, phase, CLUSTER, base, 0, edges, warnings).assign(clusterWaves);
    int offset = clusterWaves.isEmpty() ? 0 : clusterWaves.last() + 1;
    new Graph(store, phase, NAMESPACED, base, offset, edges, warnings).assign(namespacedWaves);
    plan.waves(List.copyOf(clusterWaves), List.copyOf(namespacedWaves), warnings);
  }

  /**
   * Owner to dependent edges inside a phase, in compressed rows: the dependents of object i are
   * {@code targets[start[i]] .. targets[start[i + 1] - 1]}; {@code owners[i]} counts i's owners.
   */
  private record Edges(int[] start, int[] targets, int[] owners) {
    static Edges of(RestorePlan plan, byte[] phase) {
      PlanStore store = plan.store();
      int size = phase.length;
      int[] from = new int[16];
      int[] to = new int[16];
      int count = 0;
      for (int i = 0; i < size; i++) {
        if (phase[i] == CRD) {
          continue;
        }
        for (OwnerRef ref : store.owners(i)) {
          int owner = plan.findOwnerIndex(ref, store.namespace(i));
          if (owner >= 0 && owner != i && phase[owner] == phase[i]) {
            if (count == from.length) {
              from = java.util.Arrays.copyOf(from, count * 2);
              to = java.util.Arrays.copyOf(to, count * 2);
            }
            from[count] = owner;
            to[count++] = i;
          }
        }
      }
      int[] start = new int[size + 1];
      int[] owners = new int[size];
      for (int e = 0; e < count; e++) {
        start[from[e] + 1]++;
        owners[to[e]]++;
      }
      for (int i = 0; i < size; i++) {
        start[i + 1] += start[i];
      }
      int[] fill = java.util.Arrays.copyOf(start, size);
      int[] targets = new int[count];
      for (int e = 0; e < count; e++) {
        targets[fill[from[e]]++] = to[e];
      }
      return new Edges(start, targets, owners);
    }
  }

  /** The owner graph of one phase's objects, by index. */
  private static final class Graph {
    private final PlanStore store;
    private final byte[] phase;
    private final int which;
    private final int[] waves;
    private final int[] pending;
    private final boolean[] placed;
    private final Edges edges;
    private final List<String> warnings;

    Graph(
        PlanStore store,
        byte[] phase,
        int which,
        int[] base,
        int offset,
        Edges edges,
        List<String> warnings) {
      this.store = store;
      this.phase = phase;
      this.which = which;
      this.edges = edges;
      this.warnings = warnings;
      int size = phase.length;
      this.waves = new int[size];
      this.pending = new int[size];
      this.placed = new boolean[size];
      for (int i = 0; i < size; i++) {
        if (phase[i] == which) {
          waves[i] = offset + base[i];
          pending[i] = edges.owners()[i];
        }
      }
    }

    void assign(TreeSet<Integer> usedWaves) {
      int size = phase.length;
      int[] ready = new int[size];
      int head = 0;
      int tail = 0;
      int nodes = 0;
      for (int i = 0; i < size; i++) {
        if (phase[i] == which) {
          nodes++;
          if (pending[i] == 0) {
            ready[tail++] = i;
          }
        }
      }
      for (int done = 0; done < nodes; done++) {
        if (head == tail) {
          ready[tail++] = breakCycle();
        }
        int node = ready[head++];
        int wave = waves[node];
        placed[node] = true;
        store.wave(node, wave);
        usedWaves.add(wave);
        for (int e = edges.start()[node]; e < edges.start()[node + 1]; e++) {
          int dependent = edges.targets()[e];
          if (placed[dependent]) {
            continue; // an edge dropped to break a cycle
          }
          waves[dependent] = Math.max(waves[dependent], wave + 1);
          if (--pending[dependent] == 0) {
            ready[tail++] = dependent;
          }
        }
      }
    }

    /** The unplaced object with the lowest wave so far goes next, ignoring its unplaced owners. */
    private int breakCycle() {
      int chosen = -1;
      for (int i = 0; i < phase.length; i++) {
        if (phase[i] == which
            && !placed[i]
            && pending[i] > 0
            && (chosen < 0 || waves[i] < waves[chosen])) {
          chosen = i;
        }
      }
      pending[chosen] = 0;
      warnings.add(
          new PlannedObject(store, chosen).describe()
              + ": its ownerReferences form a cycle; applied before some of its owners");
      return chosen;
    }
  }
}
