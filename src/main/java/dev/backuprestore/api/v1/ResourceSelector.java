package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Map;

/** One rule of a ResourceSet: which objects of one group/version are backed up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// List and map types as in Rancher's CRD (controller-gen markers and metav1.LabelSelector's).
@SchemaCustomizer(
    value = SchemaMergePatch.class,
    input =
        """
        properties:
          kinds: {x-kubernetes-list-type: set}
          resourceNames: {x-kubernetes-list-type: set}
          namespaces: {x-kubernetes-list-type: set}
          excludeKinds: {x-kubernetes-list-type: set}
          labelSelectors:
            x-kubernetes-map-type: atomic
            properties:
              matchLabels:
                description: Labels that must all have exactly these values.
              matchExpressions:
                description: Label requirements that must all hold.
                x-kubernetes-list-type: atomic
                items:
                  description: One requirement, a label key, an operator and values.
                  required: [key, operator]
                  properties:
                    key: {description: The label key.}
                    operator: {description: 'In, NotIn, Exists or DoesNotExist.'}
                    values:
                      description: Values for In and NotIn; empty for Exists and DoesNotExist.
                      x-kubernetes-list-type: atomic
        """)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ResourceSelector {
  @Required
  @JsonPropertyDescription("API group and version of the resources to select, e.g. v1 or apps/v1.")
  private String apiVersion;

  @JsonPropertyDescription(
      "Kinds or plural resource names to select exactly; excludeKinds does not apply to them.")
  private List<String> kinds;

  @JsonPropertyDescription(
      "RE2 regular expression matched against kinds and plural resource names; \".\" matches all.")
  private String kindsRegexp;

  @JsonPropertyDescription("Exact object names to select; they bypass excludeResourceNameRegexp.")
  private List<String> resourceNames;

  @JsonPropertyDescription(
      "RE2 regular expression; objects whose names match are selected, besides those in"
          + " resourceNames, unless excludeResourceNameRegexp matches them too.")
  private String resourceNameRegexp;

  @JsonPropertyDescription(
      "Namespaces to select objects from, besides those matching namespaceRegexp (namespaced"
          + " resources only).")
  private List<String> namespaces;

  @JsonPropertyDescription(
      "RE2 regular expression; objects in matching namespaces are selected, besides those in"
          + " namespaces; \".\" matches all (namespaced resources only).")
  private String namespaceRegexp;

  @Nullable
  @JsonPropertyDescription("Label selector passed to the LIST call.")
  private LabelSelector labelSelectors;

  @JsonPropertyDescription("Field selector passed to the LIST call, as field name to value.")
  private Map<String, String> fieldSelectors;

  @JsonPropertyDescription(
      "Kinds or plural resource names removed from the kindsRegexp matches (never from kinds);"
          + " ignored without kindsRegexp.")
  private List<String> excludeKinds;

  @JsonPropertyDescription("RE2 regular expression; objects whose names match are not selected.")
  private String excludeResourceNameRegexp;

  public String getApiVersion() {
    return apiVersion;
  }

  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  public List<String> getKinds() {
    return kinds;
  }

  public void setKinds(List<String> kinds) {
    this.kinds = kinds;
  }

  public String getKindsRegexp() {
    return kindsRegexp;
  }

  public void setKindsRegexp(String kindsRegexp) {
    this.kindsRegexp = kindsRegexp;
  }

  public List<String> getResourceNames() {
    return resourceNames;
  }

  public void setResourceNames(List<String> resourceNames) {
    this.resourceNames = resourceNames;
  }

  public String getResourceNameRegexp() {
    return resourceNameRegexp;
  }

  public void setResourceNameRegexp(String resourceNameRegexp) {
    this.resourceNameRegexp = resourceNameRegexp;
  }

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  public String getNamespaceRegexp() {
    return namespaceRegexp;
  }

  public void setNamespaceRegexp(String namespaceRegexp) {
    this.namespaceRegexp = namespaceRegexp;
  }

  public LabelSelector getLabelSelectors() {
    return labelSelectors;
  }

  public void setLabelSelectors(LabelSelector labelSelectors) {
    this.labelSelectors = labelSelectors;
  }

  public Map<String, String> getFieldSelectors() {
    return fieldSelectors;
  }

  public void setFieldSelectors(Map<String, String> fieldSelectors) {
    this.fieldSelectors = fieldSelectors;
  }

  public List<String> getExcludeKinds() {
    return excludeKinds;
  }

  public void setExcludeKinds(List<String> excludeKinds) {
    this.excludeKinds = excludeKinds;
  }

  public String getExcludeResourceNameRegexp() {
    return excludeResourceNameRegexp;
  }

  public void setExcludeResourceNameRegexp(String excludeResourceNameRegexp) {
    this.excludeResourceNameRegexp = excludeResourceNameRegexp;
  }
}
