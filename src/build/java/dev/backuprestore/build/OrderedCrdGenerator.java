package dev.backuprestore.build;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Build-time program, never packaged: writes the CRDs of the given custom resource classes with
 * fabric8's CRDGenerator, as crd-generator-maven-plugin does, except that each version's printer
 * columns keep the order of the {@code @AdditionalPrinterColumn} annotations on its class. The
 * generator alone sorts them by jsonPath, which changes the columns of {@code kubectl get} from
 * Rancher's; each CRD gets the parts of controller-gen's output that fabric8 leaves out ({@link
 * ControllerGenShape}), so that the schemas equal Rancher's field for field; and each CRD carries
 * {@code helm.sh/resource-policy: keep} ({@link KeptByHelm}). The pom runs this file with {@code
 * java} in source-file mode (no compile step).
 *
 * <p>Usage: {@code OrderedCrdGenerator <output directory> <custom resource class>...}
 */
public final class OrderedCrdGenerator {
  private OrderedCrdGenerator() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: OrderedCrdGenerator <output directory> <custom resource class>...");
    }
    Path outputDirectory = Files.createDirectories(Path.of(args[0]));
    List<Class<? extends HasMetadata>> resources = new ArrayList<>();
    for (String className : Arrays.asList(args).subList(1, args.length)) {
      resources.add(Class.forName(className).asSubclass(HasMetadata.class));
    }

    int written =
        new CRDGenerator()
            .customResourceClasses(resources)
            .withPostProcessor(ControllerGenShape.after(new DeclarationOrderColumns(resources)))
            .inOutputDir(outputDirectory.toFile())
            .generate();
    if (written != resources.size()) {
      throw new IllegalStateException(
          "expected one CRD per class (" + resources.size() + "), generated " + written);
    }
  }
}

/**
 * What controller-gen writes and fabric8's generator does not, added so that our CRDs equal
 * Rancher's field for field: the top-level {@code apiVersion}, {@code kind} and {@code metadata}
 * properties of every version's schema (with the Kubernetes API conventions' descriptions), and
 * {@code spec.names.listKind}. Printer columns lose the explicit default {@code priority: 0}. The
 * schema's properties are sorted by name, as controller-gen sorts them.
 */
final class ControllerGenShape {
  private static final String API_CONVENTIONS =
      "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md";

  private ControllerGenShape() {}

  /** {@code first}, then this shape. */
  static CRDPostProcessor after(CRDPostProcessor first) {
    return new CRDPostProcessor() {
      @Override
      public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        return shape(first.process(crd, crdSpecVersion));
      }
    };
  }

  private static HasMetadata shape(HasMetadata crd) {
    CustomResourceDefinition definition = (CustomResourceDefinition) crd;
    var names = definition.getSpec().getNames();
    if (names.getListKind() == null) {
      names.setListKind(names.getKind() + "List");
    }
    for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
      JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
      Map<String, JSONSchemaProps> properties = new TreeMap<>(schema.getProperties());
      properties.putIfAbsent(
          "apiVersion",
          string(
              "APIVersion defines the versioned schema of this representation of an object.\n"
                  + "Servers should convert recognized schemas to the latest internal value, and\n"
                  + "may reject unrecognized values.\n"
                  + "More info: "
                  + API_CONVENTIONS
                  + "#resources"));
      properties.putIfAbsent(
          "kind",
          string(
              "Kind is a string value representing the REST resource this object represents.\n"
                  + "Servers may infer this from the endpoint the client submits requests to.\n"
                  + "Cannot be updated.\n"
                  + "In CamelCase.\n"
                  + "More info: "
                  + API_CONVENTIONS
                  + "#types-kinds"));
      properties.putIfAbsent("metadata", new JSONSchemaPropsBuilder().withType("object").build());
      schema.setProperties(properties);
      if (version.getAdditionalPrinterColumns() != null) {
        for (CustomResourceColumnDefinition column : version.getAdditionalPrinterColumns()) {
          if (Integer.valueOf(0).equals(column.getPriority())) {
            column.setPriority(null);
          }
        }
      }
    }
    return crd;
  }

  private static JSONSchemaProps string(String description) {
    return new JSONSchemaPropsBuilder().withType("string").withDescription(description).build();
  }
}

/**
 * Puts the printer columns of each CRD version in the order its class declares them with
 * {@code @AdditionalPrinterColumn} (getAnnotationsByType keeps declaration order). A column that no
 * annotation declares (a field's {@code @PrinterColumn}) fails the build rather than landing in an
 * arbitrary place. It also marks each CRD as kept by Helm ({@link KeptByHelm}): the generator takes
 * one post-processor.
 */
final class DeclarationOrderColumns implements CRDPostProcessor {
  private final Map<String, Class<? extends HasMetadata>> classByCrdVersion = new HashMap<>();

  DeclarationOrderColumns(List<Class<? extends HasMetadata>> resources) {
    for (Class<? extends HasMetadata> resource : resources) {
      classByCrdVersion.put(
          key(HasMetadata.getFullResourceName(resource), HasMetadata.getVersion(resource)),
          resource);
    }
  }

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (!(crd instanceof CustomResourceDefinition definition)) {
      throw new IllegalStateException(
          "only apiextensions.k8s.io/v1 CRDs are supported, got " + crdSpecVersion);
    }
    for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
      if (columns == null || columns.isEmpty()) {
        continue;
      }
      String crdName = definition.getMetadata().getName();
      List<String> declared = declaredJsonPaths(crdName, version.getName());
      for (CustomResourceColumnDefinition column : columns) {
        if (!declared.contains(column.getJsonPath())) {
          throw new IllegalStateException(
              "printer column "
                  + column.getName()
                  + " of "
                  + crdName
                  + " "
                  + version.getName()
                  + " is not declared with @AdditionalPrinterColumn on its class; cannot order"
                  + " it");
        }
      }
      List<CustomResourceColumnDefinition> ordered = new ArrayList<>(columns);
      ordered.sort(Comparator.comparingInt(c -> declared.indexOf(c.getJsonPath())));
      version.setAdditionalPrinterColumns(ordered);
    }
    return KeptByHelm.annotate(crd);
  }

  private List<String> declaredJsonPaths(String crdName, String version) {
    Class<? extends HasMetadata> resource = classByCrdVersion.get(key(crdName, version));
    if (resource == null) {
      throw new IllegalStateException("no class generated " + crdName + " version " + version);
    }
    return Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::jsonPath)
        .toList();
  }

  private static String key(String crdName, String version) {
    return crdName + "/" + version;
  }
}

/**
 * Annotates a CRD with {@code helm.sh/resource-policy: keep}: {@code helm uninstall} of the CRD
 * chart then leaves the CRDs, and so every Backup, Restore and ResourceSet, in place. Deleting a
 * CRD deletes all its objects, which an uninstall should never do silently.
 */
final class KeptByHelm {
  private KeptByHelm() {}

  static HasMetadata annotate(HasMetadata crd) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (crd.getMetadata().getAnnotations() != null) {
      annotations.putAll(crd.getMetadata().getAnnotations());
    }
    annotations.put("helm.sh/resource-policy", "keep");
    crd.getMetadata().setAnnotations(annotations);
    return crd;
  }
}
