package dev.backuprestore.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/** Navigates the untyped part of a rendered object (kinds without a fabric8 class). */
final class ChartYaml {
  private ChartYaml() {}

  /** The value at a path of map keys (String) and list indexes (Integer). */
  static Object at(HasMetadata object, Object... path) {
    if (!(object instanceof GenericKubernetesResource generic)) {
      throw new AssertionError(object.getKind() + " is typed; use its getters");
    }
    Object current = generic.getAdditionalProperties();
    for (Object step : path) {
      if (step instanceof Integer index && current instanceof List<?> list) {
        current = index < list.size() ? list.get(index) : null;
      } else if (current instanceof Map<?, ?> map) {
        current = map.get(step);
      } else {
        throw new AssertionError("no " + step + " in " + current);
      }
    }
    return current;
  }
}
