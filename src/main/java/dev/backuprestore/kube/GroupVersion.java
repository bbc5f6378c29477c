package dev.backuprestore.kube;

/**
 * An API group and version, parsed from an {@code apiVersion} string the way Go's {@code
 * schema.ParseGroupVersion} does: {@code v1} is the core group, {@code apps/v1} is group {@code
 * apps} version {@code v1}.
 */
public record GroupVersion(String group, String version) {

  /**
   * Parses {@code apiVersion}. An empty string or {@code "/"} gives an empty group and version, as
   * in Go; more than one {@code /} is an error.
   *
   * @throws IllegalArgumentException with Go's message "unexpected GroupVersion string: ..."
   */
  public static GroupVersion parse(String apiVersion) {
    if (apiVersion == null || apiVersion.isEmpty() || apiVersion.equals("/")) {
      return new GroupVersion("", "");
    }
    int slash = apiVersion.indexOf('/');
    if (slash < 0) {
      return new GroupVersion("", apiVersion);
    }
    if (apiVersion.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("unexpected GroupVersion string: " + apiVersion);
    }
    return new GroupVersion(apiVersion.substring(0, slash), apiVersion.substring(slash + 1));
  }

  /**
   * The {@code apiVersion} form: {@code v1} for the core group, {@code group/version} otherwise.
   */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
