package dev.backuprestore.etcd.client;

import dev.backuprestore.etcd.EtcdException;

/**
 * A call to an etcd member failed: unreachable, TLS refused, an error response, a broken stream.
 * Transient unless etcd said the request itself is wrong.
 */
public class EtcdCallException extends EtcdException {
  public EtcdCallException(String message, boolean permanent) {
    super(message, permanent);
  }

  public EtcdCallException(String message, boolean permanent, Throwable cause) {
    super(message, permanent, cause);
  }
}
