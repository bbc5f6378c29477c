package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;

/** A workload scaled to zero while a restore runs and scaled back afterwards. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = SchemaMergePatch.class, input = "properties: {replicas: {format: int32}}")
@JsonIgnoreProperties(ignoreUnknown = true)
public class ControllerReference {
  @Required
  @JsonPropertyDescription("API group and version of the controller, e.g. apps/v1.")
  private String apiVersion;

  @Required
  @JsonPropertyDescription("Plural resource name of the controller, e.g. deployments.")
  private String resource;

  @Required
  @JsonPropertyDescription("Namespace of the controller.")
  private String namespace;

  @Required
  @JsonPropertyDescription("Name of the controller.")
  private String name;

  @JsonPropertyDescription("Replica count saved at restore time; not meant to be set by users.")
  private Integer replicas;

  public String getApiVersion() {
    return apiVersion;
  }

  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  public String getResource() {
    return resource;
  }

  public void setResource(String resource) {
    this.resource = resource;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }
}
