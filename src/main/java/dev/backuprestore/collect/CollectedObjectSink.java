package dev.backuprestore.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.kube.ResourceType;
import java.io.IOException;

/**
 * Receives each collected object, already cleaned (see {@link
 * dev.backuprestore.kube.MetadataCleaner}) and at most once per backup. Integers in the tree are
 * exact; write it with {@link dev.backuprestore.kube.CanonicalJson}. The sink may keep or modify
 * the node: the collector does not use it afterwards.
 */
@FunctionalInterface
public interface CollectedObjectSink {
  /**
   * @param type the resource type the object was listed from (its group, version and plural name
   *     the archive path; {@code namespaced} tells whether the path has a namespace directory)
   * @param cleanedObject the object, with {@code apiVersion} and {@code kind} set
   * @throws IOException when the sink cannot store the object; collection stops
   */
  void accept(ResourceType type, ObjectNode cleanedObject) throws IOException;
}
