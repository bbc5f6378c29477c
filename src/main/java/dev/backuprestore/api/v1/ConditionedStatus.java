package dev.backuprestore.api.v1;

import java.util.List;

/** What the status of a Backup and of a Restore have in common: conditions and a generation. */
public interface ConditionedStatus {
  List<Condition> getConditions();

  void setConditions(List<Condition> conditions);

  Long getObservedGeneration();

  void setObservedGeneration(Long observedGeneration);
}
