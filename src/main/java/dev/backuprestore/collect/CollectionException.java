package dev.backuprestore.collect;

import dev.backuprestore.kube.OperatorException;

/**
 * Collecting the objects of a ResourceSet failed: an invalid selector (bad regexp or label
 * selector, malformed apiVersion; permanent), or an API call that failed (permanent only when the
 * server rejected the request as invalid, e.g. an unsupported field selector).
 */
public class CollectionException extends OperatorException {
  public CollectionException(String message, boolean permanent) {
    super(message, permanent);
  }

  public CollectionException(String message, boolean permanent, Throwable cause) {
    super(message, permanent, cause);
  }
}
