package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * Selects the objects a Backup collects and the controllers a Restore scales down. Cluster-scoped.
 * Unlike Backup and Restore, Rancher's ResourceSet has its fields at the top level, with no spec.
 */
@Group(Backup.GROUP)
@Version(Backup.VERSION)
@Kind("ResourceSet")
@Plural("resourcesets")
@Singular("resourceset")
// No spec in the schema: the fields live at the top level. The status type only makes the
// generator declare the status subresource, as Rancher's CRD does; it is never serialized.
@SchemaSwap(originalType = ResourceSet.class, fieldName = "spec", targetType = void.class)
@SchemaCustomizer(
    value = SchemaMergePatch.class,
    input =
        """
        properties:
          resourceSelectors: {x-kubernetes-list-type: atomic}
          controllerReferences:
            x-kubernetes-list-type: atomic
            items: {description: A workload to scale to zero during a restore.}
        """)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ResourceSet extends CustomResource<Void, ResourceSetStatus> {
  @Required
  @Default("[]")
  @JsonPropertyDescription(
      "Rules that select the objects to back up; an object matching any rule is taken.")
  private List<ResourceSelector> resourceSelectors;

  @Default("[]")
  @JsonPropertyDescription(
      "Controllers scaled to zero while a restore runs and scaled back afterwards.")
  private List<ControllerReference> controllerReferences;

  public List<ResourceSelector> getResourceSelectors() {
    return resourceSelectors;
  }

  public void setResourceSelectors(List<ResourceSelector> resourceSelectors) {
    this.resourceSelectors = resourceSelectors;
  }

  public List<ControllerReference> getControllerReferences() {
    return controllerReferences;
  }

  public void setControllerReferences(List<ControllerReference> controllerReferences) {
    this.controllerReferences = controllerReferences;
  }
}
