package dev.backuprestore.kube;

/**
 * The server-side filters of a LIST call, already in their wire form; empty strings select
 * everything.
 *
 * @param labelSelector e.g. {@code app=web,tier in (a,b)}, see {@link SelectorStrings}
 * @param fieldSelector e.g. {@code metadata.name=x,type=Opaque}, see {@link SelectorStrings}
 */
public record ListSelectors(String labelSelector, String fieldSelector) {
  public static final ListSelectors NONE = new ListSelectors("", "");

  public ListSelectors {
    labelSelector = labelSelector == null ? "" : labelSelector;
    fieldSelector = fieldSelector == null ? "" : fieldSelector;
  }
}
